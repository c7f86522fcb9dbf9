using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// The user's list of methods that are never treated as blocking, from <c>.editorconfig</c>:
/// <code>
/// [*.cs]
/// TA0003.excluded_methods = M:MyApp.Cache.Get(System.String), T:MyApp.FastStore, M:MyApp.Db.Ping
/// trueasync.excluded_methods = T:Acme.Legacy.*, N:Acme.Cache
/// </code>
/// Entries are documentation comment IDs, separated by commas outside parentheses (<see cref="ConfigurationEntries.Split"/>): <c>M:Type.Method(Params)</c> for one overload, <c>M:Type.Method</c> for
/// every overload, <c>T:Type</c> for every method of a type, <c>T:Namespace.*</c> for every type whose name begins so,
/// <c>N:Namespace</c> for every type of a namespace and the namespaces inside it. The prefix may be left out for
/// methods; an invalid entry is skipped here and reported by TA0005. <c>trueasync.excluded_methods</c> and <c>TA0003.excluded_methods</c> (the key users know from the
/// TA0003 page) apply to every rule; <c>&lt;RuleId&gt;.excluded_methods</c> applies to the rule that asks. The rule is a
/// parameter of the question (one list per compilation, shared by every rule), not of the list.
/// </summary>
internal sealed class ExcludedMethods
{
    public const string SharedKey = "trueasync.excluded_methods";
    public const string BlockingCallKey = "TA0003.excluded_methods";
    public const string KeySuffix = ".excluded_methods";

    private readonly AnalyzerConfigOptionsProvider? provider;
    private readonly ConcurrentDictionary<SyntaxTree, TreeEntries> perTree = new();

    // The last tree asked about: the calls of one body are asked about one after the other, by every rule, so most
    // questions are answered here without hashing anything (docs/architecture.md, "Speed").
    private volatile TreeEntries? last;

    public ExcludedMethods(AnalyzerOptions? options)
    {
        provider = options?.AnalyzerConfigOptionsProvider;
    }

    /// <summary>
    /// The parsed entries in effect for <paramref name="tree"/> when <paramref name="ruleId"/> asks (empty when none are
    /// configured); a null rule reads the keys every rule reads.
    /// </summary>
    public ImmutableHashSet<string> GetEntries(SyntaxTree? tree, string? ruleId)
    {
        if (provider is null || tree is null)
        {
            return ImmutableHashSet<string>.Empty;
        }

        if (string.Equals(ruleId, RuleIdentifiers.BlockingCallInAsyncCode, StringComparison.OrdinalIgnoreCase))
        {
            ruleId = null;
        }

        var entries = last;
        if (entries is null || !ReferenceEquals(entries.Tree, tree))
        {
            // The lookup first, so that no delegate is allocated once the tree is known.
            if (!perTree.TryGetValue(tree, out entries))
            {
                entries = perTree.GetOrAdd(tree, t => new TreeEntries(t, provider.GetOptions(t)));
            }

            last = entries;
        }

        return entries.For(ruleId);
    }

    /// <summary>One tree's entries: those every rule reads, and per rule that asked, those with its own key added.</summary>
    private sealed class TreeEntries
    {
        private readonly AnalyzerConfigOptions options;
        private readonly object gate = new();

        // Copied on write, one element per rule that asked: read without a lock.
        private volatile (string RuleId, ImmutableHashSet<string> Entries)[] perRule = Array.Empty<(string, ImmutableHashSet<string>)>();

        public TreeEntries(SyntaxTree tree, AnalyzerConfigOptions options)
        {
            Tree = tree;
            this.options = options;
            var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            Add(options, SharedKey, builder);
            Add(options, BlockingCallKey, builder);
            Shared = builder.ToImmutable();
        }

        public SyntaxTree Tree { get; }

        public ImmutableHashSet<string> Shared { get; }

        public ImmutableHashSet<string> For(string? ruleId)
        {
            if (ruleId is null)
            {
                return Shared;
            }

            foreach (var (known, entries) in perRule)
            {
                if (string.Equals(known, ruleId, StringComparison.Ordinal))
                {
                    return entries;
                }
            }

            var builder = Shared.ToBuilder();
            Add(options, ruleId + KeySuffix, builder);
            var added = builder.ToImmutable();
            lock (gate)
            {
                var copy = new (string, ImmutableHashSet<string>)[perRule.Length + 1];
                perRule.CopyTo(copy, 0);
                copy[perRule.Length] = (ruleId, added);
                perRule = copy;
            }

            return added;
        }
    }

    /// <summary>Whether <paramref name="method"/> matches one of <paramref name="entries"/>.</summary>
    public static bool Matches(IMethodSymbol method, ImmutableHashSet<string> entries)
    {
        if (entries.IsEmpty)
        {
            return false;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        var id = definition.GetDocumentationCommentId();
        if (id is null)
        {
            return false;
        }

        if (entries.Contains(id))
        {
            return true;
        }

        var parenthesis = id.IndexOf('(');
        var withoutParameters = parenthesis < 0 ? id : id.Substring(0, parenthesis);
        if (entries.Contains(withoutParameters))
        {
            return true;
        }

        // Generic methods carry their arity ("M:Dapper.SqlMapper.Query``1"); users write the plain name.
        var arity = withoutParameters.IndexOf("``", StringComparison.Ordinal);
        if (arity > 0 && entries.Contains(withoutParameters.Substring(0, arity)))
        {
            return true;
        }

        var type = definition.ContainingType;
        var typeId = type?.GetDocumentationCommentId();
        if (typeId is null)
        {
            return false;
        }

        if (entries.Contains(typeId))
        {
            return true;
        }

        var namespaceName = type!.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;
        foreach (var entry in entries)
        {
            if (entry.StartsWith("T:", StringComparison.Ordinal) && entry.EndsWith(".*", StringComparison.Ordinal)
                && string.CompareOrdinal(typeId, 0, entry, 0, entry.Length - 1) == 0)
            {
                return true;
            }

            if (entry.StartsWith("N:", StringComparison.Ordinal) && IsInNamespace(namespaceName, entry.Substring(2)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInNamespace(string namespaceName, string excluded)
        => namespaceName.StartsWith(excluded, StringComparison.Ordinal)
            && (namespaceName.Length == excluded.Length || namespaceName[excluded.Length] == '.');

    private static void Add(AnalyzerConfigOptions options, string key, ImmutableHashSet<string>.Builder builder)
    {
        if (!options.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        foreach (var entry in ConfigurationEntries.Split(value))
        {
            if (ConfigurationEntries.TryNormalizeExclusion(entry, out var normalized, out _))
            {
                builder.Add(normalized);
            }
        }
    }
}
