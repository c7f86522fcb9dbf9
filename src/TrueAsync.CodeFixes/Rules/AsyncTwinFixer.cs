using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// TA0003 on a call to an own method that blocks and has no async counterpart
/// (<c>'GetAll' blocks on 'Query' (Dapper); 'GetAll' has no async counterpart to await</c>): create the async twin
/// <c>GetAllAsync</c> next to <c>GetAll</c> and await it at the call (see <see cref="AsyncTwinConversion"/>). On TA0001's
/// <c>Task.Run(() =&gt; repo.GetAll())</c> that blocks through an own method: create the twin and let its task replace the
/// wrapper's (<c>repo.GetAllAsync()</c>). On TA0004's fake async function that blocks through an own method
/// (<c>Task.FromResult(repo.GetAll())</c>): create the twin and make the function async over it, as
/// <see cref="FakeAsyncMethodFixer"/> does where a counterpart exists; on TA0004's <c>GetAllAsync() =&gt; Task.FromResult(GetAll())</c>:
/// give <c>GetAllAsync</c> the body <c>GetAll</c>'s twin would have. The light
/// bulb checks only the called method's symbol and its own compiler errors; the twins are planned, written and compiled
/// when the action is applied, and an action whose result would not compile changes nothing.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncTwinFixer)), Shared]
public sealed class AsyncTwinFixer : CodeFixProvider
{
    internal const string EquivalenceKey = nameof(AsyncTwinFixer);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BlockingCallInAsyncCode, RuleIdentifiers.TaskRunAroundBlockingCall, RuleIdentifiers.FakeAsyncMethod);

    public override FixAllProvider GetFixAllProvider() => AsyncTwinFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        SemanticModel? model = null;
        var solution = context.Document.Project.Solution;
        foreach (var diagnostic in context.Diagnostics)
        {
            // Only the first call that can have a twin is checked here: the action serves all of them when applied.
            foreach (var (call, kind) in AsyncTwinConversion.FindCalls(root, diagnostic))
            {
                model ??= await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
                if (model is null || await AsyncTwinConversion.CanOfferAsync(model, call, kind, solution, context.CancellationToken).ConfigureAwait(false) is not { } method)
                {
                    continue;
                }

                var twinName = method.Name + "Async";
                var title = kind == TwinSiteKind.OwnTwin
                    ? "Implement '" + twinName + "' with the async version of '" + method.Name + "'"
                    : (method.ContainingType.TypeKind == TypeKind.Interface
                        ? "Create '" + twinName + "' on '" + method.ContainingType.Name + "' and its implementations"
                        : "Create '" + twinName + "'")
                    + kind switch
                    {
                        TwinSiteKind.AwaitAtCall => ", and await it",
                        TwinSiteKind.FakeAsync => ", and make the method async over it",
                        _ => ", and use it instead of the wrapper",
                    };
                var sites = AsyncTwinConversion.FindCalls(root, diagnostic)
                    .Select(found => AsyncTwinConversion.TwinSite.Of(context.Document.Id, diagnostic, found.Call, found.Kind))
                    .ToArray();
                context.RegisterCodeFix(CodeAction.Create(title, ct => CreateAsync(solution, sites, ct), EquivalenceKey), diagnostic);
                break;
            }
        }
    }

    /// <summary>The twins for <paramref name="sites"/>, or the solution unchanged when they would not compile.</summary>
    internal static async Task<Solution> CreateAsync(Solution solution, IReadOnlyList<AsyncTwinConversion.TwinSite> sites, CancellationToken cancellationToken)
        => await AsyncTwinConversion.CreateTwinsAsync(solution, sites, cancellationToken).ConfigureAwait(false) ?? solution;
}

/// <summary>
/// Fix All for the twin action: every reported call in scope is served by one planning pass over the original solution,
/// so a twin several calls ask for (or that several twins await) is written once. A null key (dotnet format, whose first
/// TA0003 or TA0004 had another fixer's action) means this action, as in <see cref="Shared.DefaultKeyFixAllProvider"/>.
/// Diagnostics computed on text that another fixer has since rewritten are left to the next round
/// (<see cref="Shared.CurrentDiagnostics"/>): TA0004's rule fixer and this one never rewrite one function in the same round.
/// </summary>
internal sealed class AsyncTwinFixAllProvider : FixAllProvider
{
    public static readonly AsyncTwinFixAllProvider Instance = new();

    private AsyncTwinFixAllProvider()
    {
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => Shared.FixAllScopes.Supported;

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        if (fixAllContext.CodeActionEquivalenceKey is not (null or AsyncTwinFixer.EquivalenceKey))
        {
            return null;
        }

        var documents = Shared.FixAllScopes.DocumentsOf(fixAllContext);

        var sites = new List<AsyncTwinConversion.TwinSite>();
        foreach (var document in documents)
        {
            var diagnostics = await Shared.CurrentDiagnostics.OfAsync(
                    document,
                    await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false),
                    fixAllContext.CancellationToken)
                .ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                foreach (var (call, kind) in AsyncTwinConversion.FindCalls(root, diagnostic))
                {
                    sites.Add(AsyncTwinConversion.TwinSite.Of(document.Id, diagnostic, call, kind));
                }
            }
        }

        if (sites.Count == 0)
        {
            return null;
        }

        var solution = fixAllContext.Solution;
        return CodeAction.Create("Create async twins and await them", ct => AsyncTwinFixer.CreateAsync(solution, sites, ct), AsyncTwinFixer.EquivalenceKey);
    }
}
