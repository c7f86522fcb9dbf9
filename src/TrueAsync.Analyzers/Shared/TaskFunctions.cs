using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>What kind of function a <see cref="TaskFunction"/> is.</summary>
internal enum TaskFunctionKind
{
    Method,
    LocalFunction,
    Lambda,
}

/// <summary>A function written in source that can hand back a task: a method, a local function or a lambda/anonymous method.</summary>
internal readonly struct TaskFunction
{
    public TaskFunction(SyntaxNode syntax, IMethodSymbol symbol, IOperation body, TaskFunctionKind kind)
    {
        Syntax = syntax;
        Symbol = symbol;
        Body = body;
        Kind = kind;
    }

    public SyntaxNode Syntax { get; }

    public IMethodSymbol Symbol { get; }

    public IOperation Body { get; }

    public TaskFunctionKind Kind { get; }

    /// <summary>Not <c>async</c>, and returns <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>: TA0004's functions.</summary>
    public bool IsSynchronousTaskReturning
        => !Symbol.IsAsync && !Symbol.ReturnsByRef && !Symbol.ReturnsByRefReadonly && FinishedTasks.IsTaskOrValueTask(Symbol.ReturnType, out _);
}

/// <summary>
/// The one answer to "which function does this site run in, as TA0004 sees it?" (docs/architecture.md, "Ownership"):
/// asked by TA0004 and by <see cref="Engine.SiteClassifier"/>, so that both agree on the sites TA0004 owns.
/// </summary>
internal static class TaskFunctions
{
    /// <summary>
    /// The function <paramref name="operation"/> runs in, when it is one that can hand back a task: a method (not an
    /// accessor, operator or constructor), a local function or a lambda/anonymous method written in source (not an
    /// expression tree). <paramref name="containingSymbol"/> is the analysis context's symbol, when there is one.
    /// </summary>
    public static TaskFunction? FindEnclosing(IOperation operation, ISymbol? containingSymbol = null)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            // By kind, then one cast: this walk runs for every call TA0004 and the site classifier ask about.
            switch (current.Kind)
            {
                case OperationKind.AnonymousFunction:
                    var lambda = (IAnonymousFunctionOperation)current;
                    return lambda.Syntax is AnonymousFunctionExpressionSyntax && !AsyncContext.IsExpressionTreeLambda(lambda)
                        ? new TaskFunction(lambda.Syntax, lambda.Symbol, lambda.Body, TaskFunctionKind.Lambda)
                        : null;
                case OperationKind.LocalFunction:
                    var local = (ILocalFunctionOperation)current;
                    return local.Body is { } localBody
                        ? new TaskFunction(local.Syntax, local.Symbol, localBody, TaskFunctionKind.LocalFunction)
                        : null;
                case OperationKind.MethodBody:
                    var body = (IMethodBodyOperation)current;
                    if (body.Syntax is not MethodDeclarationSyntax declaration)
                    {
                        return null;
                    }

                    if (containingSymbol is null && !MayReturnTask(declaration))
                    {
                        // Asked for blocking calls in synchronous code (the site classifier): most methods there return
                        // void or a value, which their syntax says without a symbol lookup.
                        return null;
                    }

                    var symbol = containingSymbol as IMethodSymbol ?? body.SemanticModel?.GetDeclaredSymbol(declaration);
                    return symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method
                        ? new TaskFunction(body.Syntax, method, body, TaskFunctionKind.Method)
                        : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the declaration may be a synchronous Task-returning method by its syntax: not <c>async</c>, and a return
    /// type named <c>Task</c> or <c>ValueTask</c> (an alias of them is not seen: such a method is simply not classified).
    /// </summary>
    private static bool MayReturnTask(MethodDeclarationSyntax declaration)
    {
        foreach (var modifier in declaration.Modifiers)
        {
            if (modifier.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.AsyncKeyword))
            {
                return false;
            }
        }

        var type = declaration.ReturnType;
        while (type is QualifiedNameSyntax or AliasQualifiedNameSyntax)
        {
            type = type is QualifiedNameSyntax qualified ? qualified.Right : ((AliasQualifiedNameSyntax)type).Name;
        }

        return type is SimpleNameSyntax { Identifier.ValueText: "Task" or "ValueTask" };
    }
}
