using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Engine;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// "Exactly one voice", the other way round from <see cref="CallSites.Collisions"/>: every site the engine's
/// classifier calls fake async must get one diagnostic from the rule it names as owner. A site TA0001 owns because
/// it is part of an offload (a wait on it, which contains the offload's call site, or a call or wait in its
/// delegate, which the offload's call site contains) is spoken for by the TA0001 diagnostic of that offload; any
/// other site by a diagnostic at the site itself.
/// </summary>
public static class ClassifiedSites
{
    /// <summary>The rules the classifier names as owners.</summary>
    public static ImmutableArray<string> OwnerIds { get; } = ImmutableArray.Create("TA0001", "TA0002", "TA0003", "TA0004");

    /// <summary>One classified site that got no diagnostic, or more than one, from its owner.</summary>
    public sealed record Problem(SyntaxNode Site, string Owner, string Shape, int Voices, ImmutableArray<Diagnostic> Others);

    public static IEnumerable<Problem> Unvoiced(Compilation compilation, ImmutableArray<Diagnostic> findings, CancellationToken cancellationToken)
    {
        var engine = TrueAsyncEngine.GetOrCreate(compilation, options: null);
        var byTree = findings.Where(d => d.Location.IsInSource)
            .GroupBy(d => d.Location.SourceTree!)
            .ToDictionary(g => g.Key, g => g.Select(d => (Diagnostic: d, Site: CallSites.Of(d, cancellationToken))).ToArray());
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            var diagnostics = byTree.TryGetValue(tree, out var found) ? found : System.Array.Empty<(Diagnostic Diagnostic, SyntaxNode? Site)>();
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax or ForEachStatementSyntax)
                    || model.GetOperation(node, cancellationToken) is not { } operation
                    || operation is not (IInvocationOperation or IPropertyReferenceOperation or IForEachLoopOperation)
                    || engine.Classifier.Classify(operation) is not { } classified)
                {
                    continue;
                }

                var site = CallSites.Climb(operation.Syntax);

                // A foreach is spoken for at its header (TA0003) or at its collection (TA0004, which reports each
                // blocking call of a function where it is: the loop's collection is what it reads).
                var collection = operation.Syntax is ForEachStatementSyntax loop ? CallSites.Climb(loop.Expression) : null;
                var partOfOffload = classified.Shape != SiteShape.Offload && classified.Owner == "TA0001";
                var voices = diagnostics.Count(d => d.Site is not null && d.Diagnostic.Id == classified.Owner
                    && (d.Site == site || (collection is not null && d.Site == collection)
                        || (partOfOffload && (CallSites.IsPartOf(site, d.Site) || CallSites.IsPartOf(d.Site, site)))));
                if (voices != 1)
                {
                    var others = diagnostics.Where(d => d.Site == site && d.Diagnostic.Id != classified.Owner).Select(d => d.Diagnostic).ToImmutableArray();
                    yield return new Problem(site, classified.Owner, classified.Shape.ToString(), voices, others);
                }
            }
        }
    }
}
