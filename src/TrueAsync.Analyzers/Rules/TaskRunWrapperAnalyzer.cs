using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Shared;
using Site = TrueAsync.Analyzers.Engine.OffloadSite;
using SiteKind = TrueAsync.Analyzers.Engine.OffloadSiteKind;
using Wrapper = TrueAsync.Analyzers.Engine.OffloadWrapper;

namespace TrueAsync.Analyzers.Rules;

/// <summary>
/// TA0001: <c>Task.Run</c>, <c>Task.Factory.StartNew</c> or <c>TaskFactory.StartNew</c> whose delegate does its work
/// through a blocking call that has a true async counterpart (<c>await Task.Run(() =&gt; db.Users.ToList())</c>),
/// through a wait on a task (<c>Task.Run(() =&gt; db.Users.FindAsync(id).Result)</c>), or around a call that is already
/// asynchronous (<c>Task.Run(() =&gt; db.SaveChangesAsync())</c>). Blocking through the project's own methods
/// (<c>Task.Run(() =&gt; repo.LoadAll())</c>) is decided at compilation end, once <see cref="OwnMethodSummaries"/> is complete.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskRunWrapperAnalyzer : DiagnosticAnalyzer
{
    private const string Title = "Task.Run/StartNew wraps a blocking call (fake async)";
    private const string MessageFormat = "{0} wraps {1}; {2}";
    private const string Description =
        "Task.Run around a blocking call makes code look asynchronous while a thread-pool thread sits blocked for the whole I/O. " +
        "Under load every in-flight call holds one pool thread and the server starves its pool long before the database is busy. " +
        "Call the true async API and await it instead.";

    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.TaskRunAroundBlockingCall,
        title: Title,
        messageFormat: MessageFormat,
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TaskRunAroundBlockingCall));

    /// <summary>The same rule when the blocking is found through the project's own methods: reported at compilation end.</summary>
    internal static readonly DiagnosticDescriptor OwnMethodRule = new(
        id: RuleIdentifiers.TaskRunAroundBlockingCall,
        title: Title,
        messageFormat: MessageFormat,
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TaskRunAroundBlockingCall),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, OwnMethodRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not analyzed, so nothing to filter: docs/architecture.md, "Generated code".
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is resolved here: the engine resolves its types on the first question from an action.
            var engine = TrueAsyncEngine.ForRule(start, collectOwnMethods: true);
            var state = new CompilationState(engine);
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterCompilationEndAction(state.ReportDeferred);
        });
    }

    private sealed class CompilationState
    {
        private readonly TrueAsyncEngine engine;
        private readonly OwnMethodSummaries summaries;
        private readonly ConcurrentQueue<Wrapper> deferred = new();

        public CompilationState(TrueAsyncEngine engine)
        {
            this.engine = engine;
            summaries = engine.Summaries;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;

            // The name test first: almost every invocation stops here.
            if (invocation.TargetMethod.Name is not ("Run" or "StartNew") || engine.Offloads?.Classify(invocation) is not { } wrapper)
            {
                return;
            }

            if (wrapper.NeedsOwnMethodSummaries)
            {
                if (engine.IsWaitedOn(invocation))
                {
                    // Task.Run(() => repo.LoadAll()).Result: decided only at compilation end, so the wait (known now) is
                    // TA0002's and this rule stays silent about the offload (docs/architecture.md, "Ownership").
                    return;
                }

                // Whether an own method blocks is known only when every body has been read: decide at compilation end.
                // Such a diagnostic is non-local, and Roslyn offers no fix for one in the editor: none is planned.
                wrapper.DetachOperations();
                deferred.Enqueue(wrapper);
                return;
            }

            // The fix is planned by TaskRunWrapperFixer when it is asked for; the diagnostic carries the sites it rewrites.
            context.ReportDiagnostic(CreateDiagnostic(Rule, wrapper, wrapper.Sites[0], chain: null, withSites: !wrapper.NoFix));
        }

        public void ReportDeferred(CompilationAnalysisContext context)
        {
            if (deferred.IsEmpty)
            {
                return;
            }

            summaries.Complete(context.CancellationToken);
            foreach (var wrapper in deferred)
            {
                foreach (var site in wrapper.Sites)
                {
                    if (site.OwnCallee is not null
                        && summaries.TryGetChain(site.OwnCallee, wrapper.ReportLocation.SourceTree, RuleIdentifiers.TaskRunAroundBlockingCall, out var chain))
                    {
                        context.ReportDiagnostic(CreateDiagnostic(OwnMethodRule, wrapper, site, chain, withSites: false));
                        break;
                    }
                }
            }
        }

        private static Diagnostic CreateDiagnostic(DiagnosticDescriptor descriptor, Wrapper wrapper, Site first, BlockingChain? chain, bool withSites)
        {
            var (what, advice) = Describe(first, chain);
            var additional = new List<Location> { wrapper.InvocationLocation, wrapper.DelegateLocation };
            var properties = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
            if (withSites)
            {
                var index = 0;
                foreach (var site in wrapper.Sites)
                {
                    if (site.Kind == SiteKind.OwnMethod)
                    {
                        continue;
                    }

                    additional.Add(site.Location);
                    additional.Add(site.AwaitableLocation ?? site.Location);
                    TaskRunWrapperProperties.WriteSite(properties, index, site.Kind.ToString(), site.Counterpart?.ToProperties());
                    index++;
                }

                properties[TaskRunWrapperProperties.SiteCount] = index.ToString(CultureInfo.InvariantCulture);
                if (wrapper.Call.TokenArgument >= 0)
                {
                    properties[TaskRunWrapperProperties.TokenArgument] = wrapper.Call.TokenArgument.ToString(CultureInfo.InvariantCulture);
                }
            }

            return Diagnostic.Create(descriptor, wrapper.ReportLocation, additional, properties.ToImmutable(), wrapper.Runner, what, advice);
        }

        private static (string What, string Advice) Describe(Site site, BlockingChain? chain)
        {
            switch (site.Kind)
            {
                case SiteKind.Wait:
                    return ("a blocking wait '" + site.WaitDisplay + "' (sync over async)", site.WaitDisplay is "Task.WaitAll" or "Task.WaitAny"
                        ? "await 'Task.WhenAll'/'Task.WhenAny' instead"
                        : "await the task instead");
                case SiteKind.AlreadyAsync:
                    return ("'" + site.Name + "', which is already asynchronous", "await '" + site.Name + "' directly");
                case SiteKind.ForEach when site.Counterpart?.InMemoryFrom is { } from:
                    return ("a blocking 'foreach' over an EF Core query turned into LINQ to objects by '" + from + "' (every row it selects is read, then filtered in memory)",
                        "keep the query an IQueryable and use 'await foreach' over 'AsAsyncEnumerable()'");
                case SiteKind.ForEach:
                    return ("a blocking 'foreach' over an EF Core query", "use 'await foreach' over 'AsAsyncEnumerable()'");
                case SiteKind.Call when site.Counterpart?.InMemoryFrom is { } from:
                    return ("the blocking call '" + site.Counterpart.BlockingMember + "' (EF Core) over a query turned into LINQ to objects by '" + from + "' (every row it selects is read, then filtered in memory)",
                        "keep the query an IQueryable (an Expression<Func<…>> filter) and await '" + site.Counterpart.AsyncDisplay + "' instead");
                case SiteKind.OwnMethod:
                    return ("a blocking call: " + (chain?.ToString() ?? "'" + site.Name + "'"), "'" + site.Name + "' has no async counterpart to await");
                case SiteKind.DeclaredBlocking:
                    return ("the blocking call '" + site.Name + "' (" + site.Library + ", trueasync.blocking_methods)", "'" + site.Name + "' has no async counterpart to await");
                default:
                    var counterpart = site.Counterpart!;
                    return ("the blocking call '" + counterpart.BlockingMember + "' (" + counterpart.Library + ")", "await '" + counterpart.AsyncDisplay + "' instead");
            }
        }
    }
}

/// <summary>
/// The payload of a TA0001 diagnostic, read by <c>TaskRunWrapperFixer</c>, which plans the rewrite itself. Every key
/// starts with <see cref="Prefix"/>. Properties: <see cref="SiteCount"/>, <see cref="TokenArgument"/> and, per site
/// <c>i</c>, <c>TA0001.Site{i}:Kind</c> (<c>Call</c>, <c>ForEach</c>, <c>Wait</c>, <c>AlreadyAsync</c>) with the site's
/// counterpart under <c>TA0001.Site{i}:</c> (<see cref="AsyncCounterpart.ToProperties"/>). Additional locations: [0] the
/// wrapper invocation, [1] its delegate, then two per site: the site and the task it awaits. A diagnostic without
/// <see cref="SiteCount"/> (an async delegate, a method group, an own-method finding) has no fix.
/// </summary>
public static class TaskRunWrapperProperties
{
    /// <summary>The prefix of every key.</summary>
    public const string Prefix = "TA0001.";

    /// <summary>The number of sites the fix rewrites, in source order.</summary>
    public const string SiteCount = Prefix + "Sites";

    /// <summary>The index, in the wrapper's argument list, of the <c>CancellationToken</c> passed to it; absent when none is.</summary>
    public const string TokenArgument = Prefix + "TokenArgument";

    private const string SiteKindKey = "Kind";
    private const string SitePrefix = Prefix + "Site";

    internal static void WriteSite(ImmutableDictionary<string, string?>.Builder properties, int index, string kind, ImmutableDictionary<string, string?>? counterpart)
    {
        var prefix = SitePrefix + index.ToString(CultureInfo.InvariantCulture) + ":";
        properties[prefix + SiteKindKey] = kind;
        if (counterpart is not null)
        {
            foreach (var pair in counterpart)
            {
                properties[prefix + pair.Key] = pair.Value;
            }
        }
    }

    /// <summary>The kind of site <paramref name="index"/> and its counterpart's properties (empty for waits and async calls).</summary>
    internal static (string? Kind, ImmutableDictionary<string, string?> Counterpart) ReadSite(ImmutableDictionary<string, string?> properties, int index)
    {
        var prefix = SitePrefix + index.ToString(CultureInfo.InvariantCulture) + ":";
        var builder = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        string? kind = null;
        foreach (var pair in properties)
        {
            if (!pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = pair.Key.Substring(prefix.Length);
            if (key == SiteKindKey)
            {
                kind = pair.Value;
            }
            else
            {
                builder[key] = pair.Value;
            }
        }

        return (kind, builder.ToImmutable());
    }
}
