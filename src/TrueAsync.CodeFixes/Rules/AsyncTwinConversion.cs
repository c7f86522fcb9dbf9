using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Rules;
using TrueAsync.Analyzers.Shared;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// The async twin of an own method that blocks (docs/rules/TA0003.md, "Own methods"): next to <c>T X(…)</c> in the same
/// type, <c>async Task&lt;T&gt; XAsync(…[, CancellationToken cancellationToken = default])</c> whose blocking calls await
/// their true async counterparts and whose calls to other own blocking methods await their twins, created with it
/// (transitively, anywhere in the solution). The reported call in async code becomes <c>await XAsync(…)</c>; <c>X</c>
/// stays for its synchronous callers.
/// <para>
/// A member of an interface gets its twin on the interface and on every implementation in the solution together (an
/// implementation that does not block forwards: <c>Task.FromResult(X(…))</c>), or no twin: not when an implementation
/// is outside the solution, virtual, abstract or an override, nor when the interface is the public API of a library that
/// may be published (a new interface member breaks implementations elsewhere). A virtual, abstract or override method of
/// a class gets none (a non-virtual twin would skip the overrides). Twins are additive, so a class method needs no such
/// care: a public class method of a published library gets its twin too.
/// </para>
/// Everything here runs when the action is applied; the light bulb asks only <see cref="CanOfferAsync"/>.
/// </summary>
internal static partial class AsyncTwinConversion
{
    private const string RuleId = RuleIdentifiers.BlockingCallInAsyncCode;
    private const string TokenName = "cancellationToken";
    private const string TaskType = "global::System.Threading.Tasks.Task";
    private const string TokenType = "global::System.Threading.CancellationToken";

    /// <summary>
    /// The calls a diagnostic asks twins for, each with whether the call itself becomes <c>await XAsync(…)</c>: the
    /// reported call of a TA0003 diagnostic on an own blocking method (the compilation-end descriptor, which carries no
    /// counterpart), awaited; the one call of a TA0001 wrapper that blocks through an own method
    /// (<c>Task.Run(() =&gt; repo.LoadAll())</c>, see <see cref="WrappedCall"/>), whose wrapper the twin's task replaces
    /// (<c>repo.LoadAllAsync()</c>, a task of the same type). Whether a call is one of an own method is decided later, by
    /// <see cref="CanOfferAsync"/>.
    /// </summary>
    public static IEnumerable<(InvocationExpressionSyntax Call, TwinSiteKind Kind)> FindCalls(SyntaxNode root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        if (!diagnostic.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd)
            || !diagnostic.Location.IsInSource
            || !root.FullSpan.Contains(span))
        {
            yield break;
        }

        if (diagnostic.Id == RuleId && AsyncCounterpart.FromProperties(diagnostic.Properties) is null)
        {
            if (LocateCall(root, span, awaitAtCall: true) is { } call)
            {
                yield return (call, TwinSiteKind.AwaitAtCall);
            }
        }
        else if (diagnostic.Id == RuleIdentifiers.FakeAsyncMethod
            && AsyncCounterpart.FromProperties(diagnostic.Properties) is null
            && diagnostic.AdditionalLocations.Count > 0
            && root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan)
            && LocateCall(root, span, awaitAtCall: false) is { } fakeAsyncCall)
        {
            // XAsync calling X of its own object: XAsync gets X's body. A decorator's XAsync calling X of another object
            // (_inner.X()) is a fake async method like any other: that object's X gets a twin, and XAsync awaits it.
            var ownTwin = HasProperty(diagnostic, FakeAsyncMethodAnalyzer.OwnTwinProperty) && IsOnOwnObject(fakeAsyncCall);
            if (ownTwin)
            {
                if (!FakeAsyncMethodFixer.IsAwaitShape(diagnostic)
                    && fakeAsyncCall.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } asyncTwin
                    && asyncTwin.Span == diagnostic.AdditionalLocations[0].SourceSpan)
                {
                    yield return (fakeAsyncCall, TwinSiteKind.OwnTwin);
                }
            }
            else if (HasProperty(diagnostic, FakeAsyncMethodAnalyzer.TwinFixableProperty))
            {
                yield return (fakeAsyncCall, TwinSiteKind.FakeAsync);
            }
        }
        else if (diagnostic.Id == RuleIdentifiers.TaskRunAroundBlockingCall
            && !diagnostic.Properties.ContainsKey(TaskRunWrapperProperties.SiteCount)
            && diagnostic.AdditionalLocations.Count >= 2
            && root.FullSpan.Contains(diagnostic.AdditionalLocations[1].SourceSpan)
            && root.FindNode(diagnostic.AdditionalLocations[1].SourceSpan, getInnermostNodeForTie: true) is AnonymousFunctionExpressionSyntax lambda
            && WrappedCall(lambda) is { } call)
        {
            // XAsync(…) => Task.Run(() => X(…)): XAsync gets X's body, as on TA0004's Task.FromResult(X(…)).
            yield return (call, IsOnOwnObject(call)
                && call.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
                && method.Identifier.ValueText == CalledName(call) + "Async"
                    ? TwinSiteKind.OwnTwin
                    : TwinSiteKind.Wrapper);
        }
    }

    /// <summary><c>X(…)</c> or <c>this.X(…)</c>.</summary>
    private static bool IsOnOwnObject(InvocationExpressionSyntax call)
        => call.Expression is IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax };

    private static string? CalledName(InvocationExpressionSyntax call) => call.Expression switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };

    private static bool HasProperty(Diagnostic diagnostic, string name)
        => diagnostic.Properties.TryGetValue(name, out var value) && value == "true";

    /// <summary>
    /// The call of the simplest wrapper, the only one whose task the twin's can replace as it is:
    /// <c>Task.Run(() =&gt; X(…)[, token])</c> (no type arguments, a synchronous lambda without parameters whose body is
    /// that one call, as an expression, a <c>return</c> or a statement). Null for any other shape: a wrapper with more
    /// work in it stays as it is, and so does its diagnostic.
    /// </summary>
    private static InvocationExpressionSyntax? WrappedCall(AnonymousFunctionExpressionSyntax lambda)
    {
        if (lambda.Modifiers.Any(SyntaxKind.AsyncKeyword)
            || lambda is ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: > 0 } or SimpleLambdaExpressionSyntax
            || lambda.Parent is not ArgumentSyntax { NameColon: null } argument
            || argument.Parent is not ArgumentListSyntax { Arguments.Count: 1 or 2 } arguments
            || arguments.Arguments[0] != argument
            || arguments.Parent is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: IdentifierNameSyntax { Identifier.ValueText: "Run" } } })
        {
            return null;
        }

        return lambda.Body switch
        {
            InvocationExpressionSyntax call => call,
            BlockSyntax { Statements.Count: 1 } block => block.Statements[0] switch
            {
                ReturnStatementSyntax { Expression: InvocationExpressionSyntax call } => call,
                ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } => call,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>The <c>Task.Run(…)</c> call around a <see cref="WrappedCall"/>.</summary>
    private static InvocationExpressionSyntax? WrapperOf(InvocationExpressionSyntax call)
        => call.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is { } lambda && WrappedCall(lambda) == call
            ? (InvocationExpressionSyntax)lambda.Parent!.Parent!.Parent!
            : null;

    /// <summary>The call a site names: the reported span (name to end) when awaited there, the whole call otherwise.</summary>
    private static InvocationExpressionSyntax? LocateCall(SyntaxNode root, TextSpan span, bool awaitAtCall)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        if (!awaitAtCall)
        {
            return root.FindNode(span, getInnermostNodeForTie: true) as InvocationExpressionSyntax;
        }

        var call = root.FindToken(span.Start).Parent?.FirstAncestorOrSelf<InvocationExpressionSyntax>();
        return call is not null && call.Span.End == span.End ? call : null;
    }

    /// <summary>
    /// The light bulb's question, answered from symbols and the called method's own errors: can it have a twin at all?
    /// Returns the method, or null. Whether its body can be rewritten, and whether the result compiles, is decided when
    /// applied.
    /// </summary>
    public static async Task<IMethodSymbol?> CanOfferAsync(SemanticModel model, InvocationExpressionSyntax call, TwinSiteKind kind, Solution solution, CancellationToken cancellationToken)
    {
        var method = kind == TwinSiteKind.OwnTwin
            ? OwnTwinShape.Of(model, call, cancellationToken)?.Sync
            : CanOffer(model, call, awaitAtCall: kind != TwinSiteKind.Wrapper, solution, cancellationToken);
        if (method is null
            || await HasErrorsAsync(solution, method, cancellationToken).ConfigureAwait(false)
            || kind == TwinSiteKind.OwnTwin && !await HasSomethingToAwaitAsync(solution, method, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return method;
    }

    /// <summary>
    /// The method's declaration has compiler errors (a language feature the project's version lacks, for one): a copy
    /// would double them. Binds that one declaration.
    /// </summary>
    private static async Task<bool> HasErrorsAsync(Solution solution, IMethodSymbol method, CancellationToken cancellationToken)
    {
        var model = DocumentOf(solution, method) is { } document ? await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) : null;
        return model is null
            || model.GetDiagnostics(method.DeclaringSyntaxReferences[0].Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
    }

    private static IMethodSymbol? CanOffer(SemanticModel model, InvocationExpressionSyntax call, bool awaitAtCall, Solution solution, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation
            || awaitAtCall && !AwaitPlacement.CanAwaitAt(invocation))
        {
            return null;
        }

        return CanHaveTwin(invocation.TargetMethod, solution);
    }

    /// <summary>The method's definition when its symbol allows a twin (<see cref="GetTwinAsync"/> decides the rest).</summary>
    private static IMethodSymbol? CanHaveTwin(IMethodSymbol called, Solution solution)
    {
        var method = Normalize(called);
        if (!HasTwinShape(method) || DocumentOf(solution, method) is not { } document)
        {
            return null;
        }

        return method.ContainingType.TypeKind == TypeKind.Interface
            ? (method.IsAbstract && !ConversionChecks.IsPublishedApi(method.ContainingType, document.Project) ? method : null)
            : (method.IsAbstract || method.IsVirtual || method.IsOverride ? null : method);
    }

    /// <summary>
    /// The light bulb's question for <c>XAsync =&gt; Task.FromResult(X())</c>: does <c>X</c>'s own body hold something to
    /// await (a call with a counterpart, an EF <c>foreach</c>, or a call of a method that may get a twin)? One body, symbols
    /// only; whether the methods it calls block is known when applied.
    /// </summary>
    private static async Task<bool> HasSomethingToAwaitAsync(Solution solution, IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (DocumentOf(solution, method) is not { } document
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || model.GetOperation(await method.DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false), cancellationToken) is not { } body)
        {
            return false;
        }

        var engine = TrueAsyncEngine.GetOrCreate(model.Compilation, document.Project.AnalyzerOptions);
        foreach (var operation in Operations.OfFunctionBody(body))
        {
            switch (operation)
            {
                case IInvocationOperation invocation when invocation.Syntax is InvocationExpressionSyntax && AwaitPlacement.CanAwaitAt(invocation):
                    if (engine.Model.TryGetCounterpart(invocation, RuleId, out var counterpart) ? counterpart.IsFixable : CanHaveTwin(invocation.TargetMethod, solution) is not null)
                    {
                        return true;
                    }

                    break;
                case IForEachLoopOperation { IsAsynchronous: false } loop when AwaitPlacement.CanAwaitAt(loop)
                    && engine.Model.TryGetForEachCounterpart(loop, RuleId, out var loopCounterpart) && loopCounterpart.IsFixable:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Creates the twins the reported calls at <paramref name="sites"/> need, once each, and awaits them there. Null
    /// when no site can be served or the result would not compile. Should the sites together not compile, each is
    /// tried alone and those that compile alone are tried together.
    /// </summary>
    public static async Task<Solution?> CreateTwinsAsync(Solution solution, IReadOnlyList<TwinSite> sites, CancellationToken cancellationToken)
    {
        var result = await TryCreateAsync(solution, sites, cancellationToken).ConfigureAwait(false);
        if (result is not null || sites.Count == 1)
        {
            return result;
        }

        var working = new List<TwinSite>();
        foreach (var site in sites)
        {
            if (await TryCreateAsync(solution, new[] { site }, cancellationToken).ConfigureAwait(false) is not null)
            {
                working.Add(site);
            }
        }

        return working.Count == 0 ? null : await TryCreateAsync(solution, working, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Solution?> TryCreateAsync(Solution solution, IReadOnlyList<TwinSite> sites, CancellationToken cancellationToken)
    {
        var builder = new Builder(solution, cancellationToken);
        var served = 0;
        foreach (var site in sites)
        {
            served += await builder.ServeAsync(site).ConfigureAwait(false) ? 1 : 0;
        }

        if (served == 0 || await builder.ApplyAsync().ConfigureAwait(false) is not { } result)
        {
            return null;
        }

        return await ConversionChecks.CompilesAsWellAsync(solution, result.Solution, result.Changed, cancellationToken).ConfigureAwait(false)
            ? result.Solution
            : null;
    }

    /// <summary>A method's definition, whether called as an extension, generic instance or constructed type member.</summary>
    private static IMethodSymbol Normalize(IMethodSymbol method) => (method.ReducedFrom ?? method).OriginalDefinition;

    /// <summary>Signature checks: what a <c>Task</c>-returning twin can mirror.</summary>
    private static bool HasTwinShape(IMethodSymbol method)
    {
        var explicitImplementation = method.MethodKind == MethodKind.ExplicitInterfaceImplementation;
        if (method.MethodKind != MethodKind.Ordinary && !explicitImplementation
            || method.IsAsync || method.IsExtern || method.IsStatic && method.ContainingType.TypeKind == TypeKind.Interface
            || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || method.ReturnsByRef || method.ReturnsByRefReadonly
            || SimpleName(method).EndsWith("Async", StringComparison.Ordinal)
            || method.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface } type
            || type.TypeKind == TypeKind.Struct && !method.IsStatic
            || method.DeclaringSyntaxReferences.Length != 1
            || !explicitImplementation && ConversionChecks.HasMemberNamed(type, method.Name + "Async"))
        {
            return false;
        }

        if (!method.ReturnsVoid && (ConversionChecks.IsAwaitable(method.ReturnType) || method.ReturnType.IsRefLikeType || method.ReturnType.TypeKind == TypeKind.Pointer))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name as written: an explicit implementation's symbol name includes its interface.</summary>
    private static string SimpleName(IMethodSymbol method)
        => method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length == 1
            ? method.ExplicitInterfaceImplementations[0].Name
            : method.Name;

    private static Document? DocumentOf(Solution solution, IMethodSymbol method)
        => method.DeclaringSyntaxReferences.Length == 1 ? solution.GetDocument(method.DeclaringSyntaxReferences[0].SyntaxTree) : null;

    /// <summary>One twin to write: where, how its body changes, and its token parameter.</summary>
    private sealed class Twin
    {
        public Twin(DocumentId document, MethodDeclarationSyntax declaration, string name, string? existingToken, bool canAddToken)
        {
            Document = document;
            Declaration = declaration;
            Name = name;
            ExistingToken = existingToken;
            CanAddToken = canAddToken;
        }

        public DocumentId Document { get; }

        public MethodDeclarationSyntax Declaration { get; }

        public string Name { get; }

        /// <summary>The method's own <c>CancellationToken</c> parameter, which the twin forwards.</summary>
        public string? ExistingToken { get; }

        public bool CanAddToken { get; }

        /// <summary>The twin gets <c>CancellationToken cancellationToken = default</c>: something it awaits takes one.</summary>
        public bool AddsToken { get; set; }

        /// <summary>The rewritten body's edits; null for an interface member or an implementation that only forwards.</summary>
        public AsyncFunctionRewriter? Body { get; set; }

        /// <summary>Whether the method blocks (for an interface member: one of its implementations does).</summary>
        public bool Blocks { get; set; }

        /// <summary>An interface member's implementations, whose twins come with it.</summary>
        public List<Twin> Implementations { get; } = new();

        /// <summary>The twins the rewritten body awaits, written with it.</summary>
        public List<Twin> Callees { get; } = new();

        /// <summary>Whether a reported call, or a twin that is written, needs this twin: only those are written.</summary>
        public bool Used { get; private set; }

        public void Use()
        {
            if (Used)
            {
                return;
            }

            Used = true;
            foreach (var twin in Implementations.Concat(Callees))
            {
                twin.Use();
            }
        }

        /// <summary>The token the rewritten body forwards, when it has or can get one.</summary>
        public ExpressionSyntax? Token => ExistingToken is not null || CanAddToken ? TokenExpression : null;

        public ExpressionSyntax TokenExpression => SyntaxFactory.IdentifierName(ExistingToken is { } existing ? Escape(existing) : TokenName);
    }

    /// <summary>One call that asks for a twin: where it is, and what becomes of it (<see cref="TwinSiteKind"/>).</summary>
    internal readonly struct TwinSite
    {
        public TwinSite(DocumentId document, TextSpan span, TwinSiteKind kind, TextSpan group, bool groupIsAwait)
        {
            Document = document;
            Span = span;
            Kind = kind;
            Group = group;
            GroupIsAwait = groupIsAwait;
        }

        public DocumentId Document { get; }

        /// <summary>The diagnostic's span (the called name to the end of the call) when awaited there, else the call's.</summary>
        public TextSpan Span { get; }

        public TwinSiteKind Kind { get; }

        /// <summary>TA0004: the fake async function (or the <c>await Task.FromResult(…)</c>) the call is in.</summary>
        public TextSpan Group { get; }

        public bool GroupIsAwait { get; }

        /// <summary>The site of <paramref name="call"/> as <see cref="FindCalls"/> gave it.</summary>
        public static TwinSite Of(DocumentId document, Diagnostic diagnostic, InvocationExpressionSyntax call, TwinSiteKind kind)
            => kind switch
            {
                TwinSiteKind.FakeAsync => new(document, call.Span, kind, diagnostic.AdditionalLocations[0].SourceSpan, FakeAsyncMethodFixer.IsAwaitShape(diagnostic)),
                TwinSiteKind.OwnTwin => new(document, call.Span, kind, call.FirstAncestorOrSelf<MethodDeclarationSyntax>()?.Span ?? default, groupIsAwait: false),
                TwinSiteKind.AwaitAtCall => new(document, diagnostic.Location.SourceSpan, kind, default, groupIsAwait: false),
                _ => new(document, call.Span, kind, default, groupIsAwait: false),
            };
    }

    private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
