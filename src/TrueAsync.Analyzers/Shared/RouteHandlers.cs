using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>
/// ASP.NET Core minimal-API route handlers: a lambda or anonymous method passed as the <c>System.Delegate</c> handler of
/// <c>MapGet</c>, <c>MapPost</c>, … (<c>Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions</c>). ASP.NET Core awaits
/// a handler's <c>Task</c>, <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c> and then treats the <c>T</c> exactly as a
/// synchronous handler's return value (an <c>IResult</c> is executed, a string written as text, anything else as JSON),
/// so such a handler is an entry point that may become <c>async</c> without changing what the endpoint does
/// (docs/rules/TA0002.md, "Minimal-API route handlers").
/// </summary>
internal static class RouteHandlers
{
    /// <summary>
    /// The anonymous function <paramref name="operation"/> runs in directly (not in a function nested in it) when that function
    /// is a synchronous route handler that can become <c>async</c>: see <see cref="CanBecomeAsync"/>.
    /// </summary>
    public static IAnonymousFunctionOperation? EnclosingHandlerThatCanBecomeAsync(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return CanBecomeAsync(lambda) ? lambda : null;
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="lambda"/> is a synchronous minimal-API route handler whose meaning stays the same as an
    /// <c>async</c> lambda: written directly as the <c>Delegate</c> argument (no cast that fixes its delegate type), no
    /// explicit return type, a return type that is not awaitable already (an async lambda would wrap the task in
    /// another), no <c>ref</c>, <c>out</c> or ref-struct parameters, and not a lone <c>HttpContext</c> parameter (as an
    /// async lambda it would bind to the <c>RequestDelegate</c> overload instead), nor <c>await</c> used as a name.
    /// </summary>
    public static bool CanBecomeAsync(IAnonymousFunctionOperation lambda)
    {
        var symbol = lambda.Symbol;
        if (symbol.IsAsync
            || lambda.Syntax is not AnonymousFunctionExpressionSyntax syntax
            || syntax is ParenthesizedLambdaExpressionSyntax { ReturnType: not null }
            || syntax.Parent is not ArgumentSyntax
            || !IsHandlerArgument(lambda)
            || symbol.ReturnsByRef || symbol.ReturnsByRefReadonly
            || !symbol.ReturnsVoid && (FinishedTasks.IsAwaitable(symbol.ReturnType) || symbol.ReturnType.IsRefLikeType || symbol.ReturnType.TypeKind == TypeKind.Pointer)
            || symbol.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType || p.Type.TypeKind == TypeKind.Pointer)
            || symbol.Parameters.Length == 1 && symbol.Parameters[0].Type is { Name: "HttpContext" } context
                && context.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Http"
            || AwaitPlacement.IsInUnsafeContext(syntax))
        {
            return false;
        }

        foreach (var token in syntax.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == "await")
            {
                return false;
            }
        }

        return !HasRefLocal(lambda.Body);
    }

    /// <summary>A ref or ref-struct local in the function's own body (not in nested functions): it cannot live in an async one.</summary>
    private static bool HasRefLocal(IOperation body)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is IVariableDeclaratorOperation { Symbol: var local } && (local.IsRef || local.Type.IsRefLikeType))
            {
                return true;
            }

            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    pending.Push(child);
                }
            }
        }

        return false;
    }

    /// <summary>The lambda is the <c>System.Delegate</c> argument of one of ASP.NET Core's route-mapping methods.</summary>
    private static bool IsHandlerArgument(IAnonymousFunctionOperation lambda)
    {
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation { IsImplicit: true })
        {
            current = current.Parent;
        }

        if (current.Parent is not IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation }
            || parameter.Type is not { Name: "Delegate", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
        {
            return false;
        }

        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        return method.Name is "Map" or "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "MapFallback"
            && method.ContainingType is { Name: "EndpointRouteBuilderExtensions" or "FallbackEndpointRouteBuilderExtensions" } type
            && type.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Builder";
    }
}
