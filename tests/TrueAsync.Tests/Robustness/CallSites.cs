using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// "One voice": at most one TrueAsync diagnostic per call site. A diagnostic's call site is the
/// invocation, member access (<c>.Result</c>), object creation or <c>foreach</c> at its location, taken
/// whole: from a reported name (<c>ToList</c>) up to the call it names (<c>db.Users.ToList()</c>).
/// Two diagnostics speak about the same call site when
/// <list type="bullet">
/// <item>they start at the same position, or their call sites are the same node; or</item>
/// <item>one call site is part of the other: in its receiver chain (<c>Task.Run(…)</c> in
/// <c>Task.Run(…).Result</c>, <c>x.GetAwaiter()</c> in <c>x.GetAwaiter().GetResult()</c>), or anywhere
/// inside a lambda or anonymous method passed directly as its argument (<c>db.Users.ToList()</c> in
/// <c>Task.Run(() =&gt; db.Users.ToList())</c>).</item>
/// </list>
/// A call in an ordinary argument (<c>Save(reader.Read())</c>) is a call site of its own, and so is each of
/// two different spans one rule reports (each <c>.Result</c> of <c>t.Result.Result</c> waits on its own task).
/// </summary>
public static class CallSites
{
    public static SyntaxNode? Of(Diagnostic diagnostic, CancellationToken cancellationToken = default)
    {
        var tree = diagnostic.Location.SourceTree;
        if (tree is null)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        var root = tree.GetRoot(cancellationToken);
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        return Climb(root.FindNode(span, getInnermostNodeForTie: true));
    }

    /// <summary>The call site <paramref name="node"/> names: from a name (<c>ToList</c>) up to the call it names.</summary>
    public static SyntaxNode Climb(SyntaxNode node)
    {
        while (node.Parent is { } parent)
        {
            var climbs = parent switch
            {
                MemberAccessExpressionSyntax access => access.Name == node,
                MemberBindingExpressionSyntax binding => binding.Name == node,
                InvocationExpressionSyntax invocation => invocation.Expression == node,
                ConditionalAccessExpressionSyntax conditional => conditional.WhenNotNull == node,
                GenericNameSyntax or TypeArgumentListSyntax => true,
                _ => false,
            };
            if (!climbs)
            {
                break;
            }

            node = parent;
        }

        return node;
    }

    /// <summary>Pairs of diagnostics that speak about the same call site.</summary>
    public static IEnumerable<(Diagnostic First, Diagnostic Second)> Collisions(IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken = default)
    {
        foreach (var group in diagnostics.Where(d => d.Location.IsInSource).GroupBy(d => d.Location.SourceTree))
        {
            var items = group.Select(d => (Diagnostic: d, Site: Of(d, cancellationToken))).ToArray();
            for (var i = 0; i < items.Length; i++)
            {
                for (var j = i + 1; j < items.Length; j++)
                {
                    if (Collide(items[i].Diagnostic, items[i].Site, items[j].Diagnostic, items[j].Site))
                    {
                        yield return (items[i].Diagnostic, items[j].Diagnostic);
                    }
                }
            }
        }
    }

    private static bool Collide(Diagnostic a, SyntaxNode? siteA, Diagnostic b, SyntaxNode? siteB)
    {
        if (siteA is null || siteB is null)
        {
            return a.Location.SourceSpan.Start == b.Location.SourceSpan.Start;
        }

        if (a.Id == b.Id ? a.Location.SourceSpan == b.Location.SourceSpan : a.Location.SourceSpan.Start == b.Location.SourceSpan.Start)
        {
            return true;
        }

        if (siteA == siteB)
        {
            return true;
        }

        // One rule reporting two different call sites reports two blocking operations, even when one is the
        // receiver of the other: in `NestedAsync().Result.Result` each `.Result` blocks on its own task.
        return a.Id != b.Id && (IsPartOf(siteB, siteA) || IsPartOf(siteA, siteB));
    }

    /// <summary>Whether <paramref name="inner"/> belongs to the call site <paramref name="outer"/> (see the class summary).</summary>
    public static bool IsPartOf(SyntaxNode inner, SyntaxNode outer)
    {
        if (inner == outer || !outer.Span.Contains(inner.Span) || !inner.Ancestors().Contains(outer))
        {
            return false;
        }

        // Everything inside a delegate argument belongs to the call that receives the delegate.
        var node = inner.Ancestors().TakeWhile(a => a != outer).OfType<AnonymousFunctionExpressionSyntax>().LastOrDefault() ?? inner;
        while (node != outer)
        {
            var parent = node.Parent!;
            var allowed = parent switch
            {
                MemberAccessExpressionSyntax or MemberBindingExpressionSyntax or ConditionalAccessExpressionSyntax => true,
                InvocationExpressionSyntax or ObjectCreationExpressionSyntax or ArgumentListSyntax => true,
                ParenthesizedExpressionSyntax or AwaitExpressionSyntax or CastExpressionSyntax or PostfixUnaryExpressionSyntax => true,
                ElementAccessExpressionSyntax element => element.Expression == node,
                ArgumentSyntax => node is AnonymousFunctionExpressionSyntax,
                _ => false,
            };
            if (!allowed)
            {
                return false;
            }

            node = parent;
        }

        return true;
    }
}
