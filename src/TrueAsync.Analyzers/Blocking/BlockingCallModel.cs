using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// The one model of blocking calls (docs/architecture.md, "The blocking-call model"): does this call block on
/// I/O, and what is its true async counterpart? One instance per compilation, owned by <see cref="Engine.TrueAsyncEngine"/>
/// and shared by every rule; well-known symbols are resolved once and the per-method part of every answer is
/// cached by method symbol, so a call costs a dictionary lookup and a few checks on its own arguments and receiver.
/// The rule that asks is a parameter of each question: it selects that rule's <c>&lt;RuleId&gt;.excluded_methods</c>.
/// </summary>
internal sealed partial class BlockingCallModel
{
    private readonly Compilation compilation;
    private readonly Lazy<WellKnownTypes> types;
    private readonly ExcludedMethods excludedMethods;
    private readonly AdoInterfaceCasts adoInterfaceCasts;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodEntry> entries = new(DefinitionKeys.Instance);
    private readonly ConcurrentDictionary<INamedTypeSymbol, HashSet<string>> asyncNames = new(SymbolEqualityComparer.Default);

    private BlockingCallModel(Compilation compilation, AnalyzerOptions? options)
    {
        this.compilation = compilation;

        // Resolved on the first question, from an analysis action, not when the engine is made at compilation start
        // (docs/architecture.md, "Speed": nothing resolved at compilation start).
        types = new Lazy<WellKnownTypes>(() => new WellKnownTypes(compilation));
        excludedMethods = new ExcludedMethods(options);
        adoInterfaceCasts = new AdoInterfaceCasts(options);
        userCounterparts = new Lazy<UserCounterparts>(() => ReadUserCounterparts(options));
    }

    /// <summary>
    /// Creates the model for one compilation. Rules do not call it: they take the shared instance from
    /// <see cref="Engine.TrueAsyncEngine.GetOrCreate"/>; tests and fixers may build their own.
    /// </summary>
    public static BlockingCallModel Create(Compilation compilation, AnalyzerOptions? options = null)
        => new(compilation ?? throw new ArgumentNullException(nameof(compilation)), options);

    public WellKnownTypes Types => types.Value;

    /// <summary>Source 3 (own methods that block); set once, before the first question, by the rule that computes it.</summary>
    public IOwnMethodSummaries? OwnMethodSummaries { get; set; }

    public Compilation Compilation => compilation;

    /// <summary>
    /// Does <paramref name="invocation"/> block on I/O where a true async counterpart exists in this compilation?
    /// Never true for task waits (TA0002's), in-memory work, calls in expression trees or <c>nameof</c>, the
    /// enclosing method's own sync twin, or methods the user excluded.
    /// </summary>
    public bool TryGetCounterpart(IInvocationOperation invocation, out AsyncCounterpart counterpart)
        => TryGetCounterpart(invocation, ruleId: null, out counterpart);

    /// <inheritdoc cref="TryGetCounterpart(IInvocationOperation, out AsyncCounterpart)"/>
    /// <param name="ruleId">The rule that asks: its own <c>&lt;RuleId&gt;.excluded_methods</c> entries apply too.</param>
    public bool TryGetCounterpart(IInvocationOperation invocation, string? ruleId, out AsyncCounterpart counterpart)
    {
        counterpart = null!;
        var method = invocation?.TargetMethod;
        if (method is null || invocation!.Syntax is not InvocationExpressionSyntax)
        {
            return false;
        }

        var entry = GetEntry(method);
        if (entry.Candidates.IsDefaultOrEmpty)
        {
            return false;
        }

        var receiver = GetReceiver(invocation);
        if (receiver is not null && IsInMemoryReceiver(receiver))
        {
            return false;
        }

        string? inMemoryFrom = null;
        if (entry.RequiresEfQuery && (receiver is null || !IsQueryable(receiver.Type) || !IsEfQuery(receiver)))
        {
            // db.Orders.Where(isOverdue).ToList() with a Func, db.Orders.AsEnumerable().Count(…): LINQ to objects over an EF query.
            inMemoryFrom = receiver is null ? null : FindInMemorySwitch(receiver, depth: 0);
            if (inMemoryFrom is null)
            {
                return false;
            }
        }

        if (entry.IsSemaphoreWait && IsZeroTimeoutWait(invocation))
        {
            return false;
        }

        var reduced = IsReducedExtensionCall(invocation);
        Candidate? chosen = null;
        TokenPassing token = default;
        var tokenRequired = false;
        if (inMemoryFrom is null && !TryChooseCandidate(entry, invocation, reduced, out chosen, out token, out tokenRequired))
        {
            // db.Orders.Count(isOverdue) with a Func binds to Enumerable.Count: the EF query is read, then filtered in memory.
            if (!entry.RequiresEfQuery || !IsLinqToObjectsOperator(method))
            {
                return false;
            }

            inMemoryFrom = method.Name;
        }

        if (inMemoryFrom is not null)
        {
            if (IsInExpressionTreeOrNameOf(invocation) || IsExcludedByUser(method, invocation.Syntax.SyntaxTree, ruleId))
            {
                return false;
            }

            counterpart = BuildInMemoryCounterpart(invocation, method, inMemoryFrom);
            return true;
        }

        if (chosen!.IsStream && !IsForEachCollection(invocation))
        {
            // IAsyncEnumerable is only a drop-in replacement where the result is enumerated right away.
            return false;
        }

        if (IsInExpressionTreeOrNameOf(invocation)
            || IsExcludedByUser(method, invocation.Syntax.SyntaxTree, ruleId)
            || IsOwnSyncTwin(invocation, method, chosen.Method)
            || IsBufferedImplementation(invocation, method, chosen.Method))
        {
            return false;
        }

        counterpart = BuildCounterpart(invocation, method, entry, chosen, token, tokenRequired, reduced);
        return true;
    }

    /// <summary>
    /// The cheap first question, answered from the per-method cache: can a call to <paramref name="method"/>
    /// have a counterpart at all? Rules ask it before any work on the call's context.
    /// </summary>
    public bool MightHaveCounterpart(IMethodSymbol? method)
        => method is not null && !GetEntry(method).Candidates.IsDefaultOrEmpty;

    /// <summary>
    /// Does this <c>foreach</c> enumerate an EF query synchronously? The counterpart is
    /// <c>await foreach (var x in query.AsAsyncEnumerable())</c>.
    /// </summary>
    public bool TryGetForEachCounterpart(IForEachLoopOperation loop, out AsyncCounterpart counterpart)
        => TryGetForEachCounterpart(loop, ruleId: null, out counterpart);

    /// <inheritdoc cref="TryGetForEachCounterpart(IForEachLoopOperation, out AsyncCounterpart)"/>
    /// <param name="ruleId">The rule that asks: its own <c>&lt;RuleId&gt;.excluded_methods</c> entries apply too.</param>
    public bool TryGetForEachCounterpart(IForEachLoopOperation loop, string? ruleId, out AsyncCounterpart counterpart)
    {
        counterpart = null!;
        if (loop is null || loop.IsAsynchronous || Types.EfQueryableExtensions is null || Types.AsyncEnumerable is null
            || loop.Syntax is not ForEachStatementSyntax)
        {
            return false;
        }

        var collection = StripConversions(loop.Collection);
        if (!IsQueryable(collection.Type) || !IsEfQuery(collection))
        {
            return TryGetInMemoryForEach(collection, out counterpart)
                && !IsExcludedByUser(Types.EfAsAsyncEnumerableOrNull, loop.Syntax.SyntaxTree, ruleId);
        }

        if (Types.EfQueryableExtensions.GetMembers("AsAsyncEnumerable").IsEmpty
            || IsExcludedByUser(Types.EfAsAsyncEnumerableOrNull, loop.Syntax.SyntaxTree, ruleId))
        {
            return false;
        }

        var awaitForEach = AllowsAwaitForEach(loop.Syntax.SyntaxTree);
        counterpart = new AsyncCounterpart("foreach", "AsAsyncEnumerable", "EF Core", CounterpartKind.ForEachAsAsyncEnumerable)
        {
            AsyncDisplay = "await foreach over AsAsyncEnumerable()",
            ImportNamespace = BlockingCatalog.EfNamespace,
            AwaitForEachAllowed = awaitForEach,
            IsFixable = awaitForEach,
            // AsAsyncEnumerable takes no token; the fix appends WithCancellation(token) when one is in scope.
            Token = Types.ConfiguredCancelableAsyncEnumerable is null ? TokenPassing.None : TokenPassing.WithCancellation,
        };
        return true;
    }

    /// <summary>
    /// Whether the call blocks: it has an async counterpart (<see cref="TryGetCounterpart"/>), or it is one of
    /// the compilation's own methods that <see cref="OwnMethodSummaries"/> reports as blocking.
    /// </summary>
    public bool IsBlocking(IInvocationOperation invocation, out AsyncCounterpart? counterpart)
        => IsBlocking(invocation, ruleId: null, out counterpart);

    /// <inheritdoc cref="IsBlocking(IInvocationOperation, out AsyncCounterpart?)"/>
    /// <param name="ruleId">The rule that asks: its own <c>&lt;RuleId&gt;.excluded_methods</c> entries apply too.</param>
    public bool IsBlocking(IInvocationOperation invocation, string? ruleId, out AsyncCounterpart? counterpart)
    {
        if (TryGetCounterpart(invocation, ruleId, out var found))
        {
            counterpart = found;
            return true;
        }

        counterpart = null;
        var method = invocation?.TargetMethod;
        var summaries = OwnMethodSummaries;
        if (method is null || summaries is null || !method.Locations.IsEmpty && !method.Locations[0].IsInSource)
        {
            return false;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, compilation.Assembly)
            && !IsExcludedByUser(definition, invocation!.Syntax.SyntaxTree, ruleId)
            && summaries.IsBlocking(definition);
    }

    /// <summary>
    /// Whether the user excluded <paramref name="method"/> in .editorconfig for <paramref name="tree"/>, for every rule or,
    /// when <paramref name="ruleId"/> is given, for that rule.
    /// </summary>
    public bool IsExcludedByUser(IMethodSymbol? method, SyntaxTree? tree, string? ruleId = null)
    {
        if (method is null)
        {
            return false;
        }

        var entriesForTree = excludedMethods.GetEntries(tree, ruleId);
        return !entriesForTree.IsEmpty && ExcludedMethods.Matches(method, entriesForTree);
    }

    /// <summary>
    /// Whether <paramref name="query"/> is an EF Core query: rooted in a <c>DbSet&lt;T&gt;</c>, <c>DbContext.Set&lt;T&gt;()</c>,
    /// <c>FromSql…</c> or another EF query source, directly or through locals initialised from one.
    /// <c>list.AsQueryable()</c> is not (EF's async operators throw on it).
    /// </summary>
    public bool IsEfQuery(IOperation query)
    {
        if (Types.DbSet is null || query is null)
        {
            return false;
        }

        return IsEfQuery(query, depth: 0, visiting: null);
    }

    private static bool AllowsAwaitForEach(SyntaxTree tree)
        => tree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 };
}
