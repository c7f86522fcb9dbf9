using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// Fix All for the make-async action. Conversions interact across documents (converting <c>B</c> edits its callers, which
/// may be methods to convert too, and <c>B</c> becomes safe only once its caller <c>A</c> is async), so the methods are
/// marked first and then converted one at a time on the evolving solution, in passes, until a pass converts nothing more.
/// Each method is converted once, with all its waits.
/// </summary>
internal sealed class MakeMethodAsyncFixAllProvider : FixAllProvider
{
    public static readonly MakeMethodAsyncFixAllProvider Instance = new();

    private MakeMethodAsyncFixAllProvider()
    {
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => Shared.FixAllScopes.Supported;

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        // A null key: dotnet format's first TA0002 had no make-async action (see DefaultKeyFixAllProvider).
        if (fixAllContext.CodeActionEquivalenceKey is not (null or MakeMethodAsyncFixer.EquivalenceKey))
        {
            return null;
        }

        var documents = Shared.FixAllScopes.DocumentsOf(fixAllContext);

        var targets = new Dictionary<DocumentId, HashSet<TextSpan>>();
        foreach (var document in documents)
        {
            var diagnostics = await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            foreach (var diagnostic in diagnostics)
            {
                if (MakeMethodAsyncFixer.MethodSpan(root, diagnostic) is { } span)
                {
                    if (!targets.TryGetValue(document.Id, out var spans))
                    {
                        spans = new HashSet<TextSpan>();
                        targets.Add(document.Id, spans);
                    }

                    spans.Add(span);
                }
            }
        }

        if (targets.Count == 0)
        {
            return null;
        }

        var solution = fixAllContext.Solution;
        return CodeAction.Create(
            "Make methods async and await them in their callers",
            ct => ConvertAllAsync(solution, targets, ct),
            MakeMethodAsyncFixer.EquivalenceKey);
    }

    private static async Task<Solution> ConvertAllAsync(Solution solution, Dictionary<DocumentId, HashSet<TextSpan>> targets, CancellationToken cancellationToken)
    {
        // Annotations survive the edits of earlier conversions, where spans would not.
        var original = solution;
        var converted = false;
        var pending = new List<(DocumentId Document, SyntaxAnnotation Mark)>();
        foreach (var pair in targets)
        {
            var document = solution.GetDocument(pair.Key);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            var marks = new Dictionary<SyntaxNode, SyntaxAnnotation>();
            foreach (var span in pair.Value)
            {
                var node = root.FindNode(span, getInnermostNodeForTie: true);
                if (node is MethodDeclarationSyntax method && !marks.ContainsKey(method))
                {
                    var mark = new SyntaxAnnotation("TrueAsync.MakeMethodAsync");
                    marks.Add(method, mark);
                    pending.Add((pair.Key, mark));
                }
            }

            solution = solution.WithDocumentSyntaxRoot(pair.Key, root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original])));
        }

        var progress = true;
        while (progress && pending.Count > 0)
        {
            progress = false;
            foreach (var item in pending.ToArray())
            {
                var document = solution.GetDocument(item.Document);
                var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root?.GetAnnotatedNodes(item.Mark).OfType<MethodDeclarationSyntax>().FirstOrDefault() is not { } declaration)
                {
                    pending.Remove(item);
                    continue;
                }

                var result = await MakeMethodAsyncConversion.TryConvertAsync(document!, declaration, requiredWait: null, cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    solution = result.Solution;
                    pending.Remove(item);
                    progress = true;
                    converted = true;
                }
            }
        }

        // Nothing converted: the marks alone must not count as a change (dotnet format would then skip the other TA0002
        // fixer for this round, its diagnostics no longer matching the solution's documents).
        return converted ? solution : original;
    }
}
