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
/// </code>
/// Entries are documentation comment IDs, comma separated: <c>M:Type.Method(Params)</c> for one overload,
/// <c>M:Type.Method</c> for every overload, <c>T:Type</c> for every method of a type. The prefix may be left out
/// for methods. The model reads <c>trueasync.excluded_methods</c> and <c>TA0003.excluded_methods</c> (the key
/// users know from the TA0003 page) for every rule, plus <c>&lt;RuleId&gt;.excluded_methods</c> for the rule
/// that created the model, so TA0001 and TA0004 honour the same list.
/// </summary>
internal sealed class ExcludedMethods
{
    public const string SharedKey = "trueasync.excluded_methods";
    public const string BlockingCallKey = "TA0003.excluded_methods";

    private static readonly char[] Separators = { ',', ';' };

    private readonly AnalyzerConfigOptionsProvider? provider;
    private readonly string? ruleKey;
    private readonly ConcurrentDictionary<SyntaxTree, ImmutableHashSet<string>> perTree = new();

    public ExcludedMethods(AnalyzerOptions? options, string? ruleId)
    {
        provider = options?.AnalyzerConfigOptionsProvider;
        ruleKey = ruleId is null || string.Equals(ruleId, "TA0003", StringComparison.OrdinalIgnoreCase) ? null : ruleId + ".excluded_methods";
    }

    /// <summary>The parsed entries in effect for <paramref name="tree"/> (empty when none are configured).</summary>
    public ImmutableHashSet<string> GetEntries(SyntaxTree? tree)
    {
        if (provider is null || tree is null)
        {
            return ImmutableHashSet<string>.Empty;
        }

        return perTree.GetOrAdd(tree, t =>
        {
            var options = provider.GetOptions(t);
            var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            Add(options, SharedKey, builder);
            Add(options, BlockingCallKey, builder);
            if (ruleKey is not null)
            {
                Add(options, ruleKey, builder);
            }

            return builder.ToImmutable();
        });
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

        var typeId = definition.ContainingType?.GetDocumentationCommentId();
        return typeId is not null && entries.Contains(typeId);
    }

    private static void Add(AnalyzerConfigOptions options, string key, ImmutableHashSet<string>.Builder builder)
    {
        if (!options.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        foreach (var raw in value.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            // Documentation IDs of parameterless methods have no parentheses; users write them anyway.
            if (entry.EndsWith("()", StringComparison.Ordinal))
            {
                entry = entry.Substring(0, entry.Length - 2);
            }

            // "Namespace.Type.Method" without a prefix means a method.
            builder.Add(entry.Length > 1 && entry[1] == ':' ? entry : "M:" + entry);
        }
    }
}
