using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Source 2 of the model: counterparts the user declares for in-house libraries (docs/configuration.md),
/// <c>trueasync.counterparts = M:Acme.Data.Db.Query(System.String)-&gt;M:Acme.Data.Db.QueryAsync(System.String,System.Threading.CancellationToken)</c>.
/// They describe libraries, not files, so the entries of every file's options (and of global configs) count for the
/// whole compilation. An entry whose methods do not fit is left out, and <see cref="ConfigurationProblems"/> says why.
/// <c>trueasync.blocking_methods</c> names methods (types, namespaces) that block and have no counterpart: TA0003
/// reports them without a fix, and an own method that calls one blocks (the own-method summaries).
/// </summary>
internal sealed partial class BlockingCallModel
{
    private readonly Lazy<UserCounterparts> userCounterparts;

    /// <summary>Every problem found in the user's TrueAsync configuration, once each: for TA0005.</summary>
    public ImmutableArray<string> ConfigurationProblems => userCounterparts.Value.Problems;

    private UserCounterparts ReadUserCounterparts(AnalyzerOptions? options)
    {
        var provider = options?.AnalyzerConfigOptionsProvider;
        var values = new List<(string Key, string Value)>();
        if (provider is not null)
        {
            Collect(provider.GlobalOptions, values);
            foreach (var tree in compilation.SyntaxTrees)
            {
                Collect(provider.GetOptions(tree), values);
            }
        }

        var problems = new SortedSet<string>(StringComparer.Ordinal);
        var byBlocking = new Dictionary<string, List<IMethodSymbol>>(StringComparer.Ordinal);
        var blockingWithoutCounterpart = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            foreach (var entry in ConfigurationEntries.Split(value))
            {
                if (!seen.Add(key + "\n" + entry))
                {
                    continue;
                }

                if (key != ConfigurationEntries.CounterpartsKey)
                {
                    if (!ConfigurationEntries.TryNormalizeExclusion(entry, out var normalized, out var exclusionError))
                    {
                        problems.Add($"{key}: {exclusionError}");
                    }
                    else if (key == ConfigurationEntries.BlockingMethodsKey)
                    {
                        blockingWithoutCounterpart.Add(normalized);
                    }

                    continue;
                }

                if (!ConfigurationEntries.TryParseCounterpart(entry, out var blockingId, out var asyncId, out var error)
                    || !TryResolveCounterpart(blockingId, asyncId, out var asyncMethod, out error))
                {
                    problems.Add($"{key}: {error}");
                    continue;
                }

                if (asyncMethod is null)
                {
                    // Neither side is in this compilation's references: a library this project does not use.
                    continue;
                }

                if (!byBlocking.TryGetValue(blockingId, out var list))
                {
                    byBlocking[blockingId] = list = new List<IMethodSymbol>();
                }

                list.Add(asyncMethod);
            }
        }

        return new UserCounterparts(byBlocking, blockingWithoutCounterpart.ToImmutable(), problems.ToImmutableArray());
    }

    // The keys are asked for by name: AnalyzerConfigOptions.Keys throws in option providers written before it existed.
    private static readonly string[] ReadKeys =
    {
        ConfigurationEntries.CounterpartsKey,
        ConfigurationEntries.BlockingMethodsKey,
        ExcludedMethods.SharedKey,
        RuleIdentifiers.TaskRunAroundBlockingCall + ExcludedMethods.KeySuffix,
        RuleIdentifiers.SyncOverAsync + ExcludedMethods.KeySuffix,
        RuleIdentifiers.BlockingCallInAsyncCode + ExcludedMethods.KeySuffix,
        RuleIdentifiers.FakeAsyncMethod + ExcludedMethods.KeySuffix,
    };

    private static void Collect(AnalyzerConfigOptions options, List<(string Key, string Value)> values)
    {
        foreach (var key in ReadKeys)
        {
            AddValue(options, key, key, values);
        }
    }

    private static void AddValue(AnalyzerConfigOptions options, string key, string normalizedKey, List<(string Key, string Value)> values)
    {
        if (options.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
        {
            values.Add((normalizedKey, value));
        }
    }

    private bool TryResolveCounterpart(string blockingId, string asyncId, out IMethodSymbol? asyncMethod, out string error)
    {
        asyncMethod = null;
        error = string.Empty;
        var blocking = ResolveMethods(blockingId);
        var asyncMethods = ResolveMethods(asyncId);
        if (blocking.IsEmpty && asyncMethods.IsEmpty)
        {
            return true;
        }

        if (blocking.IsEmpty || asyncMethods.IsEmpty)
        {
            error = $"'{(blocking.IsEmpty ? blockingId : asyncId)}' is not a method of this project or its references, although '{(blocking.IsEmpty ? asyncId : blockingId)}' is";
            return false;
        }

        if (asyncMethods.Length > 1)
        {
            error = $"'{asyncId}' names {asyncMethods.Length} overloads; write its parameters to name one";
            return false;
        }

        var candidate = asyncMethods[0];
        foreach (var sync in blocking)
        {
            if (!FitsAsCounterpart(sync, candidate, out error))
            {
                return false;
            }
        }

        asyncMethod = candidate;
        return true;
    }

    private bool FitsAsCounterpart(IMethodSymbol sync, IMethodSymbol candidate, out string error)
    {
        error = string.Empty;
        var syncId = sync.GetDocumentationCommentId();
        var candidateId = candidate.GetDocumentationCommentId();
        if (candidate.IsStatic != sync.IsStatic || candidate.IsExtensionMethod != sync.IsExtensionMethod)
        {
            error = $"'{candidateId}' and '{syncId}' are not both instance, static or extension methods";
            return false;
        }

        if (!sync.IsStatic && !TypeShape.InheritsOrImplements(sync.ContainingType, candidate.ContainingType))
        {
            error = $"'{candidateId}' is not a method of the type of '{syncId}' or of its base types";
            return false;
        }

        if (CollectCandidates(sync, new ISymbol[] { candidate }, relaxQueryableSource: false).IsEmpty)
        {
            error = $"'{candidateId}' cannot replace '{syncId}': it must return an awaitable type, take the same parameters and may add a CancellationToken last";
            return false;
        }

        return true;
    }

    private ImmutableArray<IMethodSymbol> ResolveMethods(string id)
    {
        var symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
        if (symbols.IsEmpty && id.IndexOf('(') < 0)
        {
            // "M:Type.Method" without parameters: every overload of that name.
            var dot = id.LastIndexOf('.');
            if (dot > 2 && DocumentationCommentId.GetFirstSymbolForDeclarationId("T:" + id.Substring(2, dot - 2), compilation) is INamedTypeSymbol type)
            {
                return type.GetMembers(id.Substring(dot + 1)).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToImmutableArray();
            }
        }

        return symbols.OfType<IMethodSymbol>().ToImmutableArray();
    }

    /// <summary>
    /// Whether <paramref name="invocation"/> calls a method the user declared blocking (<c>trueasync.blocking_methods</c>)
    /// that has no counterpart the model knows, and that is not excluded for <paramref name="ruleId"/>. Such a call has
    /// nothing to await instead: it is reported without a fix. Not in expression trees or <c>nameof</c>.
    /// </summary>
    public bool IsDeclaredBlocking(IInvocationOperation invocation, string? ruleId)
    {
        var declared = userCounterparts.Value.BlockingWithoutCounterpart;
        var method = invocation?.TargetMethod;
        return !declared.IsEmpty
            && method is not null
            && ExcludedMethods.Matches(method, declared)
            && !MightHaveCounterpart(method)
            && !IsInExpressionTreeOrNameOf(invocation!)
            && !IsExcludedByUser(method, invocation!.Syntax.SyntaxTree, ruleId);
    }

    /// <summary>The user's counterpart for <paramref name="method"/> (a definition), if one was declared.</summary>
    private bool TryGetUserCounterpart(IMethodSymbol method, out IMethodSymbol asyncMethod)
    {
        asyncMethod = null!;
        var declared = userCounterparts.Value.ByBlocking;
        if (declared.Count == 0 || method.GetDocumentationCommentId() is not { } id)
        {
            return false;
        }

        var parenthesis = id.IndexOf('(');
        // An entry without parameters ("M:Acme.Data.Db.Query") stands for every overload of that name.
        if (declared.TryGetValue(id, out var list)
            || (parenthesis > 0 && declared.TryGetValue(id.Substring(0, parenthesis), out list)))
        {
            foreach (var candidate in list)
            {
                if (!CollectCandidates(method, new ISymbol[] { candidate }, relaxQueryableSource: false).IsEmpty)
                {
                    asyncMethod = candidate;
                    return true;
                }
            }
        }

        return false;
    }

    private sealed class UserCounterparts
    {
        public UserCounterparts(Dictionary<string, List<IMethodSymbol>> byBlocking, ImmutableHashSet<string> blockingWithoutCounterpart, ImmutableArray<string> problems)
        {
            ByBlocking = byBlocking;
            BlockingWithoutCounterpart = blockingWithoutCounterpart;
            Problems = problems;
        }

        public Dictionary<string, List<IMethodSymbol>> ByBlocking { get; }

        /// <summary>Normalised entries of <c>trueasync.blocking_methods</c>, matched as exclusions are (<see cref="ExcludedMethods.Matches"/>).</summary>
        public ImmutableHashSet<string> BlockingWithoutCounterpart { get; }

        public ImmutableArray<string> Problems { get; }
    }
}
