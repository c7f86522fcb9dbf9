using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace TrueAsync.Tests.Robustness;

/// <summary>The kinds of damage a person typing in an editor does to a file.</summary>
public enum MutationKind
{
    /// <summary>The file ends at some point (the rest not typed yet).</summary>
    CutOff,

    /// <summary>One token is gone.</summary>
    DeleteToken,

    /// <summary>A brace or parenthesis is missing, or an extra one was typed.</summary>
    UnbalanceBraces,

    /// <summary>An identifier is only partly typed (<c>db.Us</c>, <c>ToLi</c>, or <c>db.</c>).</summary>
    HalfTypedIdentifier,

    /// <summary>A line of another part of the file was pasted in the wrong place.</summary>
    PasteLine,
}

/// <summary>One mutated copy of a source.</summary>
public sealed record Mutation(MutationKind Kind, int Position, string Text)
{
    public string Describe() => $"{Kind} at {Position}";
}

/// <summary>
/// Deterministic mutations of a C# source: the same source, seed and hot spots always give the same
/// mutations, so a failure found by the long run is reproduced with its seed. Half of the mutations hit
/// tokens near the given hot spots (where the rules reported something), where analyzers and fixers
/// do their work; the other half hit tokens anywhere.
/// </summary>
public static class SourceMutator
{
    private static readonly MutationKind[] Kinds = (MutationKind[])Enum.GetValues(typeof(MutationKind));

    public static IReadOnlyList<Mutation> Mutate(string source, int seed, int count, ImmutableArray<TextSpan> hotSpots = default)
    {
        var result = new List<Mutation>(count);
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0)
            .ToArray();
        if (tokens.Length == 0 || count <= 0)
        {
            return result;
        }

        var near = NearHotSpots(tokens, hotSpots);
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal) { source };
        for (var attempt = 0; result.Count < count && attempt < count * 4; attempt++)
        {
            var pool = near.Length > 0 && random.Next(2) == 0 ? near : tokens;
            var token = pool[random.Next(pool.Length)];
            var kind = Kinds[random.Next(Kinds.Length)];
            var mutation = Apply(source, tokens, token, kind, random);
            if (mutation is not null && seen.Add(mutation.Text))
            {
                result.Add(mutation);
            }
        }

        return result;
    }

    /// <summary>
    /// The source cut off at <paramref name="count"/> points spread evenly over it, each point moved at
    /// random inside its stretch, so that every region of the file ends up half typed once.
    /// </summary>
    public static IReadOnlyList<Mutation> CutOffs(string source, int seed, int count)
    {
        var result = new List<Mutation>();
        if (source.Length == 0 || count <= 0)
        {
            return result;
        }

        var random = new Random(seed);
        var stretch = Math.Max(1, source.Length / count);
        for (var start = 0; start < source.Length && result.Count < count; start += stretch)
        {
            var position = Math.Min(source.Length - 1, start + random.Next(stretch));
            result.Add(new Mutation(MutationKind.CutOff, position, source.Substring(0, position)));
        }

        return result;
    }

    private static SyntaxToken[] NearHotSpots(SyntaxToken[] tokens, ImmutableArray<TextSpan> hotSpots)
    {
        if (hotSpots.IsDefaultOrEmpty)
        {
            return Array.Empty<SyntaxToken>();
        }

        const int Reach = 6;
        var picked = new SortedSet<int>();
        for (var i = 0; i < tokens.Length; i++)
        {
            foreach (var spot in hotSpots)
            {
                if (tokens[i].Span.IntersectsWith(spot))
                {
                    for (var j = Math.Max(0, i - Reach); j <= Math.Min(tokens.Length - 1, i + Reach); j++)
                    {
                        picked.Add(j);
                    }
                }
            }
        }

        return picked.Select(i => tokens[i]).ToArray();
    }

    private static Mutation? Apply(string source, SyntaxToken[] tokens, SyntaxToken token, MutationKind kind, Random random)
    {
        var span = token.Span;
        switch (kind)
        {
            case MutationKind.CutOff:
                var cut = span.Start + random.Next(span.Length + 1);
                return new Mutation(kind, cut, source.Substring(0, cut));

            case MutationKind.DeleteToken:
                return new Mutation(kind, span.Start, source.Remove(span.Start, span.Length));

            case MutationKind.UnbalanceBraces:
                var braces = tokens.Where(t => t.IsKind(SyntaxKind.OpenBraceToken) || t.IsKind(SyntaxKind.CloseBraceToken)
                    || t.IsKind(SyntaxKind.OpenParenToken) || t.IsKind(SyntaxKind.CloseParenToken)).ToArray();
                if (random.Next(2) == 0 && braces.Length > 0)
                {
                    // The brace nearest the chosen token goes missing.
                    var brace = braces.OrderBy(b => Math.Abs(b.SpanStart - span.Start)).First();
                    return new Mutation(kind, brace.SpanStart, source.Remove(brace.SpanStart, 1));
                }

                var extra = new[] { "{", "}", "(", ")" }[random.Next(4)];
                return new Mutation(kind, span.Start, source.Insert(span.Start, extra));

            case MutationKind.HalfTypedIdentifier:
                var identifier = token.IsKind(SyntaxKind.IdentifierToken)
                    ? token
                    : tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).OrderBy(t => Math.Abs(t.SpanStart - span.Start)).FirstOrDefault();
                if (identifier.RawKind == 0)
                {
                    return null;
                }

                // From nothing typed (db.) to all but the last character (db.Users.ToLis).
                var kept = random.Next(identifier.Span.Length);
                return new Mutation(kind, identifier.SpanStart, source.Remove(identifier.SpanStart + kept, identifier.Span.Length - kept));

            case MutationKind.PasteLine:
                var lines = SourceText.From(source).Lines;
                var line = lines[random.Next(lines.Count)];
                var text = source.Substring(line.Start, line.End - line.Start);
                return new Mutation(kind, span.Start, source.Insert(span.Start, text));

            default:
                return null;
        }
    }
}
