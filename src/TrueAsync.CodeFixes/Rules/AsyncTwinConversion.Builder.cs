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

/// <summary>The twins' planner and writer (docs/architecture.md, "The pieces"): what <see cref="CreateTwinsAsync"/> runs.</summary>
internal static partial class AsyncTwinConversion
{
    /// <summary>Plans every twin against the original solution, then writes them all at once.</summary>
    private sealed class Builder
    {
        private readonly Solution solution;
        private readonly CancellationToken cancellationToken;
        private readonly Dictionary<(DocumentId, TextSpan), Twin?> twins = new();
        private readonly HashSet<(DocumentId, TextSpan)> inProgress = new();

        // Methods whose body cannot become async (an iterator, 'await' as a name, unsafe code): never forwarded to.
        private readonly HashSet<(DocumentId, TextSpan)> unconvertible = new();

        // Interface members whose implementations are being planned: a decorator that calls the same member on the
        // object it wraps awaits the twin being made.
        private readonly Dictionary<(DocumentId, TextSpan), Twin> interfacesInProgress = new();
        private readonly Dictionary<DocumentId, AsyncFunctionRewriter> siteEdits = new();

        // TA0004: fake async functions already rewritten, and XAsync methods whose body is their sync twin's made async.
        private readonly HashSet<(DocumentId, TextSpan)> plannedGroups = new();
        private readonly Dictionary<(DocumentId, TextSpan), Twin> replacements = new();

        public Builder(Solution solution, CancellationToken cancellationToken)
        {
            this.solution = solution;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>Plans the twins the call at <paramref name="site"/> needs, and <c>await XAsync(…)</c> there when asked.</summary>
        public async Task<bool> ServeAsync(TwinSite site)
        {
            var documentId = site.Document;
            var document = solution.GetDocument(documentId);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null
                || LocateCall(root, site.Span, site.Kind == TwinSiteKind.AwaitAtCall) is not { } call)
            {
                return false;
            }

            if (site.Kind == TwinSiteKind.OwnTwin)
            {
                return await ServeOwnTwinAsync(site, model, call).ConfigureAwait(false);
            }

            if (await CanOfferAsync(model, call, site.Kind, solution, cancellationToken).ConfigureAwait(false) is not { } method
                || await GetTwinAsync(method, forced: false).ConfigureAwait(false) is not { Blocks: true } twin)
            {
                return false;
            }

            if (site.Kind == TwinSiteKind.FakeAsync)
            {
                return await ServeFakeAsyncAsync(site, document!, root, model, call).ConfigureAwait(false);
            }

            if (site.Kind == TwinSiteKind.Wrapper)
            {
                // Task.Run(() => repo.LoadAll()[, token]) becomes repo.LoadAllAsync([token]): a task of the same type.
                if (WrapperOf(call) is not { } wrapper
                    || model.GetOperation(wrapper, cancellationToken) is not IInvocationOperation { TargetMethod: { Name: "Run" } run }
                    || run.ContainingType is not { Name: "Task", ContainingNamespace: { Name: "Tasks", ContainingNamespace.Name: "Threading" } })
                {
                    return false;
                }

                twin.Use();
                var wrapperToken = wrapper.ArgumentList.Arguments.Count == 2
                    ? wrapper.ArgumentList.Arguments[1].Expression.WithoutTrivia()
                    : twin.AddsToken ? CancellationTokenFinder.Find(model, wrapper, cancellationToken) : null;
                var wrapped = ((IInvocationOperation)model.GetOperation(call, cancellationToken)!).TargetMethod;
                var counterpart = TwinCounterpart(call, wrapped, twin);
                EditsOf(documentId).Add(wrapper, current => AwaitRewriter.CreateAsyncInvocation(call, counterpart, twin.AddsToken ? wrapperToken : null)
                    .WithTriviaFrom(current)
                    .WithAdditionalAnnotations(Formatter.Annotation));
                return true;
            }

            twin.Use();
            var token = twin.AddsToken ? CancellationTokenFinder.Find(model, call, cancellationToken) : null;
            var called = ((IInvocationOperation)model.GetOperation(call, cancellationToken)!).TargetMethod;
            EditsOf(documentId).AwaitBlockingCall(call, TwinCounterpart(call, called, twin), token);
            return true;
        }

        /// <summary>
        /// TA0004: the fake async function the call is in (or its <c>await Task.FromResult(…)</c>), rewritten once as
        /// <see cref="FakeAsyncMethodFixer"/> rewrites it, with the twins as the counterparts of the own methods it calls:
        /// every call in it that has a counterpart or gets a twin is awaited, then the function is made async and its returns
        /// hand back the values (<see cref="FakeAsyncMethodFixer.PlanGroup"/>).
        /// </summary>
        private async Task<bool> ServeFakeAsyncAsync(TwinSite site, Document document, SyntaxNode root, SemanticModel model, InvocationExpressionSyntax call)
        {
            if (plannedGroups.Contains((site.Document, site.Group)))
            {
                // Planned with another call of the same function: every call in it was served then.
                return true;
            }

            var group = FakeAsyncMethodFixer.FindGroup(root, site.Group, site.GroupIsAwait);
            if (group is null || !group.Span.Contains(call.Span) || model.GetOperation(group, cancellationToken) is not { } operation)
            {
                return false;
            }

            plannedGroups.Add((site.Document, site.Group));

            const string ruleId = RuleIdentifiers.FakeAsyncMethod;
            var engine = TrueAsyncEngine.GetOrCreate(model.Compilation, document.Project.AnalyzerOptions);
            var edits = EditsOf(site.Document);
            foreach (var inner in Operations.OfFunctionBody(operation).ToArray())
            {
                switch (inner)
                {
                    case IInvocationOperation invocation when invocation.Syntax is InvocationExpressionSyntax blocking
                        && AwaitPlacement.CanAwaitAt(invocation)
                        && !engine.IsSiteOfOffload(invocation):
                        if (engine.Model.TryGetCounterpart(invocation, ruleId, out var counterpart))
                        {
                            if (counterpart.IsFixable)
                            {
                                edits.AwaitBlockingCall(blocking, counterpart, CancellationTokenFinder.Find(model, blocking, cancellationToken));
                            }
                        }
                        else if (await GetTwinAsync(invocation.TargetMethod, forced: false).ConfigureAwait(false) is { } callee)
                        {
                            callee.Use();
                            edits.AwaitBlockingCall(blocking, TwinCounterpart(blocking, invocation.TargetMethod, callee), CancellationTokenFinder.Find(model, blocking, cancellationToken));
                        }

                        break;

                    case IForEachLoopOperation { IsAsynchronous: false } loop when loop.Syntax is ForEachStatementSyntax statement
                        && AwaitPlacement.CanAwaitAt(loop)
                        && !engine.IsSiteOfOffload(loop)
                        && engine.Model.TryGetForEachCounterpart(loop, ruleId, out var loopCounterpart)
                        && loopCounterpart.IsFixable:
                        edits.AwaitForEach(statement, loopCounterpart, CancellationTokenFinder.Find(model, statement, cancellationToken));
                        break;
                }
            }

            FakeAsyncMethodFixer.PlanGroup(edits, group, model, cancellationToken);
            return true;
        }

        /// <summary>
        /// TA0004 on <c>XAsync(…) =&gt; Task.FromResult(X(…))</c>: <c>X</c>'s twin is planned as usual, under <c>XAsync</c>'s name and
        /// with its token, and its body takes the place of <c>XAsync</c>'s (<see cref="OwnTwinShape"/>) instead of being written as
        /// a new member.
        /// </summary>
        private async Task<bool> ServeOwnTwinAsync(TwinSite site, SemanticModel model, InvocationExpressionSyntax call)
        {
            if (OwnTwinShape.Of(model, call, cancellationToken) is not { } shape || shape.Declaration.Span != site.Group)
            {
                return false;
            }

            var key = (site.Document, site.Group);
            if (replacements.ContainsKey(key))
            {
                return true;
            }

            var sync = shape.Sync;
            if (DocumentOf(solution, sync) is not { } syncDocument)
            {
                return false;
            }

            var syncKey = Key(syncDocument, sync);
            if (!inProgress.Add(syncKey))
            {
                return false;
            }

            Twin? twin = null;
            if (await CreateTwinAsync(sync, syncDocument, shape).ConfigureAwait(false) is { } candidate
                && (candidate.Declaration.Body is not null || candidate.Declaration.ExpressionBody is not null)
                && CanBodyBecomeAsync(candidate.Declaration))
            {
                await PlanBodyAsync(candidate, syncDocument).ConfigureAwait(false);
                twin = candidate.Blocks ? candidate : null;
            }

            inProgress.Remove(syncKey);
            if (twin is null)
            {
                return false;
            }

            twin.Use();
            replacements.Add(key, twin);
            EditsOf(site.Document).Add(shape.Declaration, current => current is MethodDeclarationSyntax target ? ReplaceBody(target, twin) : current);
            return true;
        }

        private AsyncFunctionRewriter EditsOf(DocumentId documentId)
        {
            if (!siteEdits.TryGetValue(documentId, out var edits))
            {
                edits = new AsyncFunctionRewriter();
                siteEdits.Add(documentId, edits);
            }

            return edits;
        }

        /// <summary>The twin <paramref name="method"/> gets, planned once; null when it needs none or cannot have one.</summary>
        private async Task<Twin?> GetTwinAsync(IMethodSymbol method, bool forced)
        {
            method = Normalize(method);
            if (!HasTwinShape(method) || DocumentOf(solution, method) is not { } document)
            {
                return null;
            }

            if (method.ContainingType.TypeKind == TypeKind.Interface)
            {
                return method.IsAbstract && !ConversionChecks.IsPublishedApi(method.ContainingType, document.Project)
                    ? await GetInterfaceTwinAsync(method, document).ConfigureAwait(false)
                    : null;
            }

            if (method.IsAbstract || method.IsVirtual || method.IsOverride)
            {
                return null;
            }

            var twin = await GetMethodTwinAsync(method, document).ConfigureAwait(false);
            if (twin is null && forced && !unconvertible.Contains(Key(document, method)))
            {
                // An implementation that does not block: its twin forwards, so that the interface's twin is implemented.
                var key = Key(document, method);
                twin = twins[key] = await CreateTwinAsync(method, document).ConfigureAwait(false);
            }

            return forced || twin is { Blocks: true } ? twin : null;
        }

        private static (DocumentId, TextSpan) Key(Document document, IMethodSymbol method) => (document.Id, method.DeclaringSyntaxReferences[0].Span);

        private async Task<Twin?> CreateTwinAsync(IMethodSymbol method, Document document, OwnTwinShape? replacing = null)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (await HasErrorsAsync(solution, method, cancellationToken).ConfigureAwait(false)
                || root?.FindNode(method.DeclaringSyntaxReferences[0].Span, getInnermostNodeForTie: true) is not MethodDeclarationSyntax declaration
                || declaration.Parent is not TypeDeclarationSyntax
                || declaration.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp5 }
                || AwaitPlacement.IsInUnsafeContext(declaration))
            {
                return null;
            }

            var existing = method.Parameters.FirstOrDefault(p => IsCancellationToken(p.Type));
            if (replacing is not null)
            {
                // XAsync's signature stays: the body forwards X's token or XAsync's own, and gets none.
                var token = existing?.Name ?? replacing.Token;
                return replacing.Token is not null && declaration.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == replacing.Token)
                    ? null
                    : new Twin(document.Id, declaration, replacing.Declaration.Identifier.ValueText, token, canAddToken: false);
            }

            var canAdd = existing is null
                && (method.Parameters.Length == 0 || !method.Parameters[method.Parameters.Length - 1].IsParams)
                && !declaration.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == TokenName);
            return new Twin(document.Id, declaration, SimpleName(method) + "Async", existing?.Name, canAdd);
        }

        /// <summary>A class or struct method: a twin when its body blocks, directly or through own methods.</summary>
        private async Task<Twin?> GetMethodTwinAsync(IMethodSymbol method, Document document)
        {
            var key = Key(document, method);
            if (twins.TryGetValue(key, out var known))
            {
                return known;
            }

            if (!inProgress.Add(key))
            {
                // A cycle: the call that closes it stays synchronous.
                return null;
            }

            Twin? twin = null;
            if (await CreateTwinAsync(method, document).ConfigureAwait(false) is { } candidate
                && (candidate.Declaration.Body is not null || candidate.Declaration.ExpressionBody is not null)
                && CanBodyBecomeAsync(candidate.Declaration))
            {
                await PlanBodyAsync(candidate, document).ConfigureAwait(false);
                twin = candidate.Blocks ? candidate : null;
            }
            else
            {
                unconvertible.Add(key);
            }

            inProgress.Remove(key);
            twins[key] = twin;
            return twin;
        }

        /// <summary>An interface member: a twin on it and on every implementation in the solution, or none.</summary>
        private async Task<Twin?> GetInterfaceTwinAsync(IMethodSymbol method, Document document)
        {
            var key = Key(document, method);
            if (twins.TryGetValue(key, out var known))
            {
                return known;
            }

            if (!inProgress.Add(key))
            {
                return interfacesInProgress.TryGetValue(key, out var planning) ? planning : null;
            }

            var twin = await CreateTwinAsync(method, document).ConfigureAwait(false);
            if (twin is not null)
            {
                interfacesInProgress.Add(key, twin);
                var implementations = await SymbolFinder.FindImplementationsAsync(method, solution, cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (var implementation in implementations)
                {
                    if (implementation is not IMethodSymbol implementingMethod
                        || implementingMethod.IsAbstract || implementingMethod.IsVirtual || implementingMethod.IsOverride
                        || await GetTwinAsync(implementingMethod, forced: true).ConfigureAwait(false) is not { } implementationTwin)
                    {
                        twin = null;
                        break;
                    }

                    twin.Implementations.Add(implementationTwin);
                }
            }

            if (twin is not null && twin.Implementations.Any(i => i.Blocks))
            {
                twin.Blocks = true;

                // One signature for all: the token goes everywhere when one implementation can take it and all can.
                if (twin.CanAddToken && twin.Implementations.Any(i => i.AddsToken) && twin.Implementations.All(i => i.CanAddToken))
                {
                    twin.AddsToken = true;
                }

                foreach (var implementation in twin.Implementations)
                {
                    implementation.AddsToken = twin.AddsToken;
                }
            }
            else
            {
                twin = null;
            }

            interfacesInProgress.Remove(key);
            inProgress.Remove(key);
            twins[key] = twin;
            return twin;
        }

        /// <summary>Plans the twin's body: each blocking call awaits its counterpart, each call to an own blocking method its twin.</summary>
        private async Task PlanBodyAsync(Twin twin, Document document)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetOperation(twin.Declaration, cancellationToken) is not { } body)
            {
                return;
            }

            var engine = TrueAsyncEngine.GetOrCreate(model.Compilation, document.Project.AnalyzerOptions);
            var edits = new AsyncFunctionRewriter();
            var token = twin.Token;
            var wantsToken = false;
            foreach (var operation in Operations.OfFunctionBody(body).ToArray())
            {
                switch (operation)
                {
                    case IInvocationOperation invocation when invocation.Syntax is InvocationExpressionSyntax call && AwaitPlacement.CanAwaitAt(invocation):
                        if (engine.Model.TryGetCounterpart(invocation, RuleId, out var counterpart))
                        {
                            if (counterpart.IsFixable)
                            {
                                var passes = counterpart.Token != TokenPassing.None && token is not null;
                                edits.AwaitBlockingCall(call, counterpart, passes ? token : null);
                                wantsToken |= passes;
                                twin.Blocks = true;
                            }
                        }
                        else if (await GetTwinAsync(invocation.TargetMethod, forced: false).ConfigureAwait(false) is { } callee)
                        {
                            var passes = callee.AddsToken && token is not null;
                            edits.AwaitBlockingCall(call, TwinCounterpart(call, invocation.TargetMethod, callee), passes ? token : null);
                            wantsToken |= passes;
                            twin.Callees.Add(callee);
                            twin.Blocks = true;
                        }

                        break;

                    case IForEachLoopOperation { IsAsynchronous: false } loop when loop.Syntax is ForEachStatementSyntax statement
                        && AwaitPlacement.CanAwaitAt(loop)
                        && engine.Model.TryGetForEachCounterpart(loop, RuleId, out var loopCounterpart)
                        && loopCounterpart.IsFixable:
                        edits.AwaitForEach(statement, loopCounterpart, token);
                        wantsToken |= loopCounterpart.Token == TokenPassing.WithCancellation && token is not null;
                        twin.Blocks = true;
                        break;
                }
            }

            twin.Body = edits;
            twin.AddsToken = wantsToken && twin.ExistingToken is null;
        }

        /// <summary>Writes the used twins after their methods and the planned call-site edits; null when nothing changes.</summary>
        public async Task<(Solution Solution, IReadOnlyCollection<DocumentId> Changed)?> ApplyAsync()
        {
            var documents = new Dictionary<DocumentId, AsyncFunctionRewriter>(siteEdits);
            var insertions = twins.Values.Where(t => t is { Used: true }).Select(t => t!).GroupBy(t => t.Document);
            var withTwins = new HashSet<DocumentId>();
            var withTokens = new HashSet<DocumentId>();
            foreach (var group in insertions)
            {
                if (!documents.TryGetValue(group.Key, out var edits))
                {
                    edits = new AsyncFunctionRewriter();
                    documents.Add(group.Key, edits);
                }

                withTwins.Add(group.Key);
                if (group.Any(t => t.AddsToken))
                {
                    withTokens.Add(group.Key);
                }

                foreach (var type in group.GroupBy(t => (TypeDeclarationSyntax)t.Declaration.Parent!))
                {
                    var originalType = type.Key;
                    var planned = type.Select(t => (Index: originalType.Members.IndexOf(t.Declaration), Twin: t)).OrderByDescending(p => p.Index).ToArray();
                    edits.Add(originalType, current =>
                    {
                        if (current is not TypeDeclarationSyntax rewritten)
                        {
                            return current;
                        }

                        var members = rewritten.Members;
                        foreach (var (index, twin) in planned)
                        {
                            if (index >= 0 && index < members.Count)
                            {
                                members = members.Insert(index + 1, Build(twin));
                            }
                        }

                        return rewritten.WithMembers(members);
                    });
                }
            }

            if (documents.Count == 0)
            {
                return null;
            }

            var newSolution = solution;
            foreach (var pair in documents)
            {
                var document = newSolution.GetDocument(pair.Key);
                var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is null)
                {
                    return null;
                }

                var editor = await DocumentEditor.CreateAsync(document!.WithSyntaxRoot(pair.Value.Apply(root)), cancellationToken).ConfigureAwait(false);
                foreach (var replaced in replacements.Where(r => r.Key.Item1 == pair.Key))
                {
                    foreach (var import in replaced.Value.Body?.Imports ?? Array.Empty<string>())
                    {
                        AwaitRewriter.AddImport(editor, import);
                    }
                }

                if (withTwins.Contains(pair.Key))
                {
                    AwaitRewriter.AddImport(editor, "System.Threading.Tasks");
                    foreach (var twin in twins.Values.Where(t => t is { Used: true, Body: not null } && t.Document == pair.Key))
                    {
                        foreach (var import in twin!.Body!.Imports)
                        {
                            AwaitRewriter.AddImport(editor, import);
                        }
                    }
                }

                if (withTokens.Contains(pair.Key))
                {
                    AwaitRewriter.AddImport(editor, "System.Threading");
                }

                newSolution = newSolution.WithDocumentSyntaxRoot(pair.Key, editor.GetChangedRoot());
            }

            return (newSolution, documents.Keys);
        }

        /// <summary>The twin's declaration, built from the original method and the planned body edits.</summary>
        private static MethodDeclarationSyntax Build(Twin twin)
        {
            var original = twin.Declaration;
            var declaration = twin.Body is { IsEmpty: false } body ? (MethodDeclarationSyntax)body.Apply(original) : original;
            var returnType = SyntaxFactory.ParseTypeName(original.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
                    ? TaskType
                    : TaskType + "<" + original.ReturnType.WithoutTrivia().ToString() + ">")
                .WithAdditionalAnnotations(Simplifier.Annotation)
                .WithTrailingTrivia(SyntaxFactory.Space);

            var parameters = declaration.ParameterList;
            if (twin.AddsToken)
            {
                parameters = parameters.AddParameters(SyntaxFactory.Parameter(SyntaxFactory.Identifier(TokenName))
                    .WithType(SyntaxFactory.ParseTypeName(TokenType).WithAdditionalAnnotations(Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.Space))
                    .WithDefault(SyntaxFactory.EqualsValueClause(SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression, SyntaxFactory.Token(SyntaxKind.DefaultKeyword)))));
            }

            declaration = declaration
                .WithAttributeLists(default)
                // 'new' hid a base member of the method's name, not of the twin's (CS0109 if kept).
                .WithModifiers(SyntaxFactory.TokenList(declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.NewKeyword)).Select(m => m.WithoutTrivia().WithTrailingTrivia(SyntaxFactory.Space))))
                .WithReturnType(returnType)
                .WithIdentifier(SyntaxFactory.Identifier(twin.Name))
                .WithParameterList(parameters);

            if (original.Parent is InterfaceDeclarationSyntax)
            {
                // The member's declaration only.
            }
            else if (twin.Body is null)
            {
                declaration = Forwarding(declaration, original);
            }
            else
            {
                declaration = (MethodDeclarationSyntax)AsyncFunctionRewriter.AddAsyncModifier(declaration);
            }

            var indentation = original.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            return declaration
                .WithLeadingTrivia(new[] { EndOfLine(original) }.Concat(indentation))
                .WithTrailingTrivia(original.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        /// <summary>The file's line break, as the method's own declaration ends.</summary>
        private static SyntaxTrivia EndOfLine(SyntaxNode original)
        {
            foreach (var trivia in original.GetTrailingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    return trivia;
                }
            }

            return SyntaxFactory.ElasticCarriageReturnLineFeed;
        }

        /// <summary>
        /// An implementation that does not block: its expression body wrapped (<c>=&gt; Task.FromResult&lt;T&gt;(expr)</c>), else a
        /// call of the method (<c>=&gt; Task.FromResult(X(…))</c>, <c>{ X(…); return Task.CompletedTask; }</c>). The expression is
        /// taken over rather than called so that an explicit implementation is not called through its interface, whose other
        /// implementations may block.
        /// </summary>
        private static MethodDeclarationSyntax Forwarding(MethodDeclarationSyntax twin, MethodDeclarationSyntax original)
        {
            var isVoid = original.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };
            var task = SyntaxFactory.ParseExpression(TaskType).WithAdditionalAnnotations(Simplifier.Annotation);
            if (original.ExpressionBody is { } arrow && !isVoid)
            {
                var typedFromResult = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        task,
                        SyntaxFactory.GenericName(SyntaxFactory.Identifier("FromResult"), SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(original.ReturnType.WithoutTrivia())))),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(arrow.Expression.WithoutTrivia()))));
                return twin.WithExpressionBody(SyntaxFactory.ArrowExpressionClause(typedFromResult));
            }

            SimpleNameSyntax name = original.TypeParameterList is { } typeParameters
                ? SyntaxFactory.GenericName(original.Identifier.WithoutTrivia(), SyntaxFactory.TypeArgumentList(SyntaxFactory.SeparatedList<TypeSyntax>(typeParameters.Parameters.Select(p => SyntaxFactory.IdentifierName(p.Identifier.WithoutTrivia())))))
                : SyntaxFactory.IdentifierName(original.Identifier.WithoutTrivia());
            ExpressionSyntax target = original.ExplicitInterfaceSpecifier is { } explicitInterface
                ? SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.ParenthesizedExpression(SyntaxFactory.CastExpression(explicitInterface.Name.WithoutTrivia(), SyntaxFactory.ThisExpression())),
                    name)
                : name;
            var arguments = SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(original.ParameterList.Parameters.Select(p => SyntaxFactory.Argument(SyntaxFactory.IdentifierName(p.Identifier.WithoutTrivia())))));
            ExpressionSyntax call = original.ExpressionBody is { } voidArrow ? voidArrow.Expression.WithoutTrivia() : SyntaxFactory.InvocationExpression(target, arguments);
            if (isVoid)
            {
                var completed = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName("CompletedTask"));
                return twin
                    .WithExpressionBody(null)
                    .WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(call), SyntaxFactory.ReturnStatement(completed)));
            }

            var fromResult = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName("FromResult")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(call))));
            return twin
                .WithBody(null)
                .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(fromResult))
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));
        }

        /// <summary>No <c>await</c> used as an identifier and no iterator: the body can become async as it is.</summary>
        private static bool CanBodyBecomeAsync(MethodDeclarationSyntax declaration)
            => !declaration.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == "await" || t.IsKind(SyntaxKind.YieldKeyword));
    }

    /// <summary>
    /// <paramref name="call"/> rewritten as <c>await XAsync(…[, token])</c>, in the terms the shared rewriters take: the token
    /// goes last when every parameter is written positionally, by name (<c>cancellationToken: token</c>) otherwise.
    /// </summary>
    private static AsyncCounterpart TwinCounterpart(InvocationExpressionSyntax call, IMethodSymbol called, Twin twin)
    {
        var arguments = call.ArgumentList.Arguments;
        var positional = arguments.Count == called.Parameters.Length
            && arguments.All(a => a.NameColon is null)
            && !(called.Parameters.Length > 0 && called.Parameters[called.Parameters.Length - 1].IsParams);
        return new AsyncCounterpart(called.Name, twin.Name, string.Empty, CounterpartKind.Rename)
        {
            IsFixable = true,
            AsyncDisplay = twin.Name,
            Token = !twin.AddsToken ? TokenPassing.None : positional ? TokenPassing.Positional : TokenPassing.Named,
            TokenParameterName = TokenName,
        };
    }
}
