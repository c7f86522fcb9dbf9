using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Rules;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// TA0001 fix: removes the <c>Task.Run</c>/<c>StartNew</c> wrapper and awaits the true async API in its place,
/// in the form <see cref="TaskRunWrapperFixPlanner"/> chooses (<see cref="FixForm"/>, <see cref="FixTarget"/>): the
/// lambda's expression or its statements move into the enclosing async code, or a non-async function returns the
/// counterpart's task directly or becomes <c>async</c>. The sites come from the diagnostic
/// (<see cref="TaskRunWrapperProperties"/>, read back by <see cref="TaskRunWrapperRequest"/>), and
/// <see cref="TaskRunWrapperRewriter"/> writes the change; no fix is offered when no form keeps the meaning.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskRunWrapperFixer)), Shared]
public sealed class TaskRunWrapperFixer : CodeFixProvider
{
    private const string EquivalenceKey = nameof(TaskRunWrapperFixer);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.TaskRunAroundBlockingCall);

    // A function gets at most one rewrite that makes it async (the analyzer requires its only return to be the
    // wrapper), so fixes never interact beyond identical using directives, which the batch fixer merges.
    public override FixAllProvider GetFixAllProvider() => FixAll;

    // Own methods without an async twin are reported without a fix: see DefaultKeyFixAllProvider.
    private static readonly FixAllProvider FixAll = new DefaultKeyFixAllProvider(WellKnownFixAllProviders.BatchFixer, EquivalenceKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, semanticModel, diagnostic, context.Document.Project.AnalyzerOptions, context.CancellationToken) is not { } plan)
            {
                continue;
            }

            var request = TaskRunWrapperRequest.TryCreate(root, diagnostic, plan);
            if (request is null)
            {
                continue;
            }

            var title = request.Sites.FirstOrDefault(s => s.Counterpart is not null)?.Counterpart is { } counterpart
                ? "Remove the " + RunnerName(request.Invocation) + " wrapper and await '" + counterpart.AsyncDisplay + "'"
                : "Remove the " + RunnerName(request.Invocation) + " wrapper and await the task";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => TaskRunWrapperRewriter.RewriteAsync(context.Document, request, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// Classifies the wrapper again, with the same engine the analyzer used, and plans the rewrite; null when the
    /// diagnostic carries no sites or no form keeps the meaning.
    /// </summary>
    private static FixPlan? Plan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(TaskRunWrapperProperties.SiteCount)
            || diagnostic.AdditionalLocations.Count < 2
            || TaskRunWrapperRequest.Find(root, diagnostic.AdditionalLocations[0]) is not InvocationExpressionSyntax invocationSyntax
            || semanticModel.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var engine = TrueAsyncEngine.GetOrCreate(semanticModel.Compilation, options);
        if (engine.Waits is null || engine.Offloads?.Classify(invocation) is not { NeedsOwnMethodSummaries: false } wrapper)
        {
            return null;
        }

        // The member whose body holds the wrapper, as the analyzer's operation action saw it.
        IOperation rootOperation = invocation;
        while (rootOperation.Parent is { } parent)
        {
            rootOperation = parent;
        }

        // A method body's root is the declaration itself; an arrow or initializer is inside the member it belongs to.
        var containingSymbol = semanticModel.GetDeclaredSymbol(rootOperation.Syntax, cancellationToken)
            ?? semanticModel.GetEnclosingSymbol(rootOperation.Syntax.SpanStart, cancellationToken);
        return new TaskRunWrapperFixPlanner(engine.Waits).PlanFix(wrapper, containingSymbol);
    }

    private static string RunnerName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Run" } => "Task.Run",
        _ => "StartNew",
    };
}
