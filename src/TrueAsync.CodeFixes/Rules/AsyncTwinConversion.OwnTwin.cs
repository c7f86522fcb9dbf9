using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Shared;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>What kind of call asks for a twin (see <see cref="AsyncTwinConversion.FindCalls"/>).</summary>
internal enum TwinSiteKind
{
    /// <summary>TA0003: a call in async code, which becomes <c>await XAsync(…)</c>.</summary>
    AwaitAtCall,

    /// <summary>TA0001: <c>Task.Run(() =&gt; X(…))</c>, whose wrapper the twin's task replaces.</summary>
    Wrapper,

    /// <summary>
    /// TA0004: a call in a fake async function (or <c>await Task.FromResult(…)</c>), which is then rewritten as
    /// <see cref="FakeAsyncMethodFixer"/> rewrites it when the call has a counterpart: the twin is that counterpart.
    /// </summary>
    FakeAsync,

    /// <summary>TA0004: <c>XAsync(…) =&gt; Task.FromResult(X(…))</c>: the twin's body becomes <c>XAsync</c>'s.</summary>
    OwnTwin,
}

internal static partial class AsyncTwinConversion
{
    /// <summary>
    /// <c>XAsync</c> over its own sync twin (docs/rules/TA0004.md): a method of the same type whose whole body hands back
    /// <c>X</c>'s result as a finished task (<c>=&gt; Task.FromResult(X(a, b))</c>, <c>{ return new ValueTask&lt;T&gt;(X(a)); }</c>,
    /// <c>{ X(a); return Task.CompletedTask; }</c>; TA0004) or as the task of a thread-pool thread
    /// (<c>=&gt; Task.Run(() =&gt; X(a))</c>, <c>=&gt; await Task.Run(() =&gt; X(a), ct)</c>; TA0001), passing its own parameters straight through: each argument is one of its
    /// parameters, of the same name and type as <c>X</c>'s, and each parameter is passed once, except a
    /// <c>CancellationToken</c>, which the new body forwards. Then <c>X</c>'s body, made async as its twin would be, means in
    /// <c>XAsync</c> what the call of <c>X</c> meant. <c>X</c> must be what the call runs: not virtual, abstract or an override.
    /// </summary>
    internal sealed class OwnTwinShape
    {
        private OwnTwinShape(IMethodSymbol sync, MethodDeclarationSyntax declaration, string? token)
        {
            Sync = sync;
            Declaration = declaration;
            Token = token;
        }

        /// <summary>The synchronous method, <c>X</c>.</summary>
        public IMethodSymbol Sync { get; }

        /// <summary><c>XAsync</c>'s declaration, whose body is replaced.</summary>
        public MethodDeclarationSyntax Declaration { get; }

        /// <summary><c>XAsync</c>'s own <c>CancellationToken</c> parameter that <c>X</c> does not take, if any.</summary>
        public string? Token { get; }

        public static OwnTwinShape? Of(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
        {
            if (call.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } declaration
                || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } asyncMethod
                || model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation
                || !IsTheWholeBody(declaration, call, model, cancellationToken))
            {
                return null;
            }

            var sync = Normalize(invocation.TargetMethod);
            if (asyncMethod.IsAsync && WrapperOf(call) is null || asyncMethod.IsGenericMethod || asyncMethod.MethodKind != MethodKind.Ordinary
                || asyncMethod.Name != sync.Name + "Async"
                || !SymbolEqualityComparer.Default.Equals(sync.ContainingType, asyncMethod.ContainingType.OriginalDefinition)
                || sync.MethodKind != MethodKind.Ordinary || sync.IsGenericMethod
                || sync.IsAbstract || sync.IsVirtual || sync.IsOverride || sync.IsExtern || sync.IsAsync
                || sync.PartialDefinitionPart is not null || sync.PartialImplementationPart is not null
                || sync.ReturnsByRef || sync.ReturnsByRefReadonly || sync.DeclaringSyntaxReferences.Length != 1
                || !sync.ReturnsVoid && (ConversionChecks.IsAwaitable(sync.ReturnType) || sync.ReturnType.IsRefLikeType)
                || !FinishedTasks.IsTaskOrValueTask(asyncMethod.ReturnType, out _)
                || sync.ReturnsVoid == asyncMethod.ReturnType is INamedTypeSymbol { IsGenericType: true }
                || !sync.IsStatic && (asyncMethod.IsStatic || invocation.Instance is not IInstanceReferenceOperation))
            {
                return null;
            }

            // Each argument one of XAsync's parameters, as X names and types it; each parameter passed once.
            var passed = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            if (invocation.Arguments.Length != sync.Parameters.Length)
            {
                return null;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit
                    || argument.Parameter is not { RefKind: RefKind.None } parameter
                    || argument.Value is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } own }
                    || !SymbolEqualityComparer.Default.Equals(own.ContainingSymbol, asyncMethod)
                    || own.Name != parameter.Name
                    || !SymbolEqualityComparer.Default.Equals(own.Type, parameter.Type)
                    || !passed.Add(own))
                {
                    return null;
                }
            }

            string? token = null;
            foreach (var parameter in asyncMethod.Parameters)
            {
                if (passed.Contains(parameter))
                {
                    continue;
                }

                if (token is not null || parameter.RefKind != RefKind.None || !IsCancellationToken(parameter.Type))
                {
                    return null;
                }

                token = parameter.Name;
            }

            return new OwnTwinShape(sync, declaration, token);
        }

        /// <summary>The body is the call handed back as a finished task, and nothing else.</summary>
        private static bool IsTheWholeBody(MethodDeclarationSyntax declaration, InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
        {
            if (WrapperOf(call) is { } wrapper)
            {
                return IsTheWholeBodyWrapper(declaration, wrapper, model, cancellationToken);
            }

            if (declaration.ExpressionBody is { } arrow)
            {
                return IsFinishedValueOf(arrow.Expression, call, model, cancellationToken);
            }

            var statements = declaration.Body?.Statements ?? default;
            return statements.Count switch
            {
                1 => statements[0] is ReturnStatementSyntax { Expression: { } value } && IsFinishedValueOf(value, call, model, cancellationToken),
                2 => statements[0] is ExpressionStatementSyntax { Expression: var expression } && expression == call
                    && statements[1] is ReturnStatementSyntax { Expression: { } completed }
                    && FinishedTasks.Classify(model.GetOperation(completed, cancellationToken), out _) == FinishedTaskKind.Completed,
                _ => false,
            };
        }

        /// <summary><c>Task.Run(() =&gt; X(…)[, token])</c> is the body: returned, or awaited in an async method.</summary>
        private static bool IsTheWholeBodyWrapper(MethodDeclarationSyntax declaration, InvocationExpressionSyntax wrapper, SemanticModel model, CancellationToken cancellationToken)
        {
            if (model.GetOperation(wrapper, cancellationToken) is not IInvocationOperation { TargetMethod: { Name: "Run", ContainingType: { Name: "Task", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } } })
            {
                return false;
            }

            var isAsync = declaration.Modifiers.Any(SyntaxKind.AsyncKeyword);
            var body = declaration.ExpressionBody?.Expression
                ?? (declaration.Body?.Statements is { Count: 1 } statements
                    ? statements[0] switch
                    {
                        ReturnStatementSyntax { Expression: { } value } => value,
                        ExpressionStatementSyntax { Expression: AwaitExpressionSyntax awaited } when isAsync => awaited,
                        _ => null,
                    }
                    : null);
            if (body is null)
            {
                return false;
            }

            body = AsyncFunctionRewriter.StripParentheses(body);
            if (isAsync)
            {
                body = body is AwaitExpressionSyntax { Expression: var awaitedTask } ? AsyncFunctionRewriter.StripParentheses(awaitedTask) : null;
            }

            return body == wrapper;
        }

        private static bool IsFinishedValueOf(ExpressionSyntax value, InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
            => AsyncFunctionRewriter.GetFactoryArgument(value) is { } argument
                && AsyncFunctionRewriter.StripParentheses(argument) == call
                && FinishedTasks.Classify(model.GetOperation(AsyncFunctionRewriter.StripParentheses(value), cancellationToken), out _) == FinishedTaskKind.Value;
    }

    private static bool IsCancellationToken(ITypeSymbol type)
        => type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// <c>XAsync</c> with the body of <c>X</c>'s twin (<paramref name="twin"/>, planned on <c>X</c>'s declaration) in place of its
    /// own, and <c>async</c>; its signature, attributes and documentation stay.
    /// </summary>
    private static MethodDeclarationSyntax ReplaceBody(MethodDeclarationSyntax target, Twin twin)
    {
        var converted = twin.Body is { IsEmpty: false } body ? (MethodDeclarationSyntax)body.Apply(twin.Declaration) : twin.Declaration;
        var closeParen = target.ParameterList.CloseParenToken.WithTrailingTrivia(converted.ParameterList.CloseParenToken.TrailingTrivia);
        var result = target.WithParameterList(target.ParameterList.WithCloseParenToken(closeParen));
        result = converted.Body is { } block
            ? result.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block)
            : result.WithBody(null).WithExpressionBody(converted.ExpressionBody).WithSemicolonToken(converted.SemicolonToken);
        return ((MethodDeclarationSyntax)AsyncFunctionRewriter.AddAsyncModifier(result))
            .WithTrailingTrivia(target.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
