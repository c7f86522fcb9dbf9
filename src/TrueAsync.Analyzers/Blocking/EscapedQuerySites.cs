using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Deferred EF queries that escape a method (docs/rules/TA0003.md, "Queries returned by own methods"): <c>Query()</c>
/// returns <c>_db.Orders.Where(…)</c> as an <c>IQueryable&lt;T&gt;</c> (or an <c>IEnumerable&lt;T&gt;</c> that is still the
/// EF query), and async code materialises it: <c>repo.Query().ToList()</c>, <c>Count()</c>, <c>foreach</c>. Whether the
/// method returns an EF query is known from its body (<see cref="OwnMethodSummaries.ReturnsEfQuery"/>), that is at
/// compilation end: the sites are kept until then, as <see cref="OwnMethodCallSites"/> keeps calls, and reported without a fix.
/// </summary>
internal sealed class EscapedQuerySites
{
    private readonly OwnMethodSummaries summaries;
    private readonly BlockingCallModel model;
    private readonly string ruleId;
    private readonly ConcurrentQueue<Pending> pending = new();

    /// <summary>The calling rule must have registered the summaries' collecting pass (<see cref="Engine.TrueAsyncEngine.ForRule"/>).</summary>
    public EscapedQuerySites(Engine.TrueAsyncEngine engine, string ruleId)
    {
        summaries = engine.Summaries;
        model = engine.Model;
        this.ruleId = ruleId;
    }

    /// <summary>
    /// Keeps a materialising call (<c>ToList</c>, <c>Count</c>, …) whose receiver comes from an own method that may return
    /// an EF query. The caller has already decided that the place is one its rule reports and that the model found no
    /// counterpart for the call itself.
    /// </summary>
    public bool TryDefer(IInvocationOperation invocation, Location location)
    {
        var method = invocation.TargetMethod;
        if (!model.RequiresEfQuery(method))
        {
            return false;
        }

        var receiver = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return receiver is not null && TryDefer(receiver, method.Name, method.Name + "Async", method, location);
    }

    /// <summary>The collection of a synchronous <c>foreach</c>, when it comes from an own method that may return an EF query.</summary>
    public bool MayComeFromOwnQuery(IForEachLoopOperation loop) => FindSource(loop.Collection) is not null;

    /// <summary>Keeps a synchronous <c>foreach</c> over a sequence an own method returns.</summary>
    public bool TryDefer(IForEachLoopOperation loop, Location location)
        => TryDefer(loop.Collection, "foreach", "AsAsyncEnumerable", model.Types.EfAsAsyncEnumerableOrNull, location);

    /// <summary>Reports every kept site whose source method returns an EF query; call it from the rule's compilation-end action.</summary>
    public void Report(CompilationAnalysisContext context, DiagnosticDescriptor descriptor)
    {
        if (pending.IsEmpty)
        {
            return;
        }

        summaries.Complete(context.CancellationToken);
        foreach (var site in pending)
        {
            if (!summaries.ReturnsEfQuery(site.Source) || model.IsExcludedByUser(site.Source, site.Location.SourceTree, ruleId))
            {
                continue;
            }

            var sourceName = site.Source.AssociatedSymbol?.Name ?? site.Source.Name;
            var use = site.Blocking == "foreach" ? "use 'await foreach' over 'AsAsyncEnumerable()'" : "await '" + site.AsyncDisplay + "'";
            var advice = site.IsQueryable ? use + " instead" : "return IQueryable<T> from '" + sourceName + "' and " + use;
            context.ReportDiagnostic(Diagnostic.Create(descriptor, site.Location, site.Blocking, sourceName, advice));
        }
    }

    private bool TryDefer(IOperation sequence, string blocking, string asyncDisplay, IMethodSymbol? blockingMethod, Location location)
    {
        if (FindSource(sequence) is not { } source
            || model.IsExcludedByUser(blockingMethod, location.SourceTree, ruleId))
        {
            return false;
        }

        var isQueryable = model.IsQueryableType(Operations.StripConversions(sequence).Type);
        pending.Enqueue(new Pending(location, blocking, asyncDisplay, source, isQueryable));
        return true;
    }

    /// <summary>The own method or getter a query chain starts from, when it may return an EF query.</summary>
    private IMethodSymbol? FindSource(IOperation sequence)
        => model.SkipQueryOperators(sequence) switch
        {
            IInvocationOperation invocation when summaries.MayReturnQuery(invocation.TargetMethod) => invocation.TargetMethod,
            IPropertyReferenceOperation { Property.GetMethod: { } getter } when summaries.MayReturnQuery(getter) => getter,
            _ => null,
        };

    private sealed class Pending
    {
        public Pending(Location location, string blocking, string asyncDisplay, IMethodSymbol source, bool isQueryable)
        {
            Location = location;
            Blocking = blocking;
            AsyncDisplay = asyncDisplay;
            Source = source;
            IsQueryable = isQueryable;
        }

        public Location Location { get; }

        public string Blocking { get; }

        public string AsyncDisplay { get; }

        public IMethodSymbol Source { get; }

        /// <summary>The materialised sequence's static type is <c>IQueryable&lt;T&gt;</c>: the EF async operator applies as it is.</summary>
        public bool IsQueryable { get; }
    }
}
