using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Shared;
using Site = TrueAsync.Analyzers.Engine.OffloadSite;
using SiteKind = TrueAsync.Analyzers.Engine.OffloadSiteKind;
using Wrapper = TrueAsync.Analyzers.Engine.OffloadWrapper;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// Decides whether the TA0001 fix can remove a wrapper without changing the program's meaning, and in which form
/// (<see cref="FixForm"/>, <see cref="FixTarget"/>): the lambda's expression or statements inlined at the <c>await</c>,
/// or the counterpart's task returned directly. It checks name clashes, labels, returns, ref-like values, locks,
/// <c>ConfigureAwait</c> and the task types. Planned in the fixer, when a fix is asked for, from the same offload
/// classification the analyzer reported (docs/architecture.md, "The path of one call site").
/// </summary>
internal sealed class TaskRunWrapperFixPlanner
{
    private readonly TaskWaits waits;

    public TaskRunWrapperFixPlanner(TaskWaits waits)
    {
        this.waits = waits;
    }

    /// <summary>The rewrite that keeps the meaning of <paramref name="wrapper"/>, or null when none does.</summary>
    public FixPlan? PlanFix(Wrapper wrapper, ISymbol? containingSymbol)
    {
        if (wrapper.NoFix || wrapper.Call.HasCustomScheduler || wrapper.Call.HasState
            || wrapper.Function is not { } function || function.Syntax is not AnonymousFunctionExpressionSyntax functionSyntax
            || function.Symbol.Parameters.Length != 0 || IsInUnsafeContext(wrapper.Syntax))
        {
            return null;
        }

        if (waits.IsTaskLike(function.Symbol.ReturnType) && !wrapper.Sites.TrueForAll(s => s.Kind == SiteKind.AlreadyAsync))
        {
            // Task.Run(() => Task.FromResult(db.Users.Count())) unwraps the inner task: inlining the body would
            // leave a task where the awaited value stood, so only a body that is itself the async call is fixed.
            return null;
        }

        var awaitContext = FindAwait(wrapper.Invocation);
        var configureAwait = awaitContext.ConfigureAwait;
        foreach (var site in wrapper.Sites)
        {
            if (!IsSiteFixable(site, function, configureAwait is not null))
            {
                return null;
            }
        }

        if (HasRefLikeValue(function.Body))
        {
            // A span or ref local cannot live in an async method (before C# 13) or across an await.
            return null;
        }

        var body = wrapper.Body;
        if (awaitContext.Await is { } awaitOperation)
        {
            if (body is not null)
            {
                return DeclaresVariables(body) && HasNameClash(functionSyntax, awaitOperation.Syntax)
                    ? null
                    : new FixPlan(FixForm.Expression, FixTarget.Await);
            }

            return PlanBlock(wrapper, function, functionSyntax, awaitOperation) is { } target
                ? new FixPlan(FixForm.Block, target)
                : null;
        }

        return PlanReturn(wrapper, function, functionSyntax, containingSymbol);
    }

    private bool IsSiteFixable(Site site, IAnonymousFunctionOperation function, bool configureAwait)
    {
        if (site.Operation is null || IsInLockWithin(site.Operation, function))
        {
            return false;
        }

        switch (site.Kind)
        {
            case SiteKind.Call:
                // A rewrite of compiled expressions (ExpressionsCompiled) is TA0003's fixer's only.
                return site.Counterpart is { IsFixable: true, ExpressionsCompiled: false } callCounterpart
                    && !(configureAwait && callCounterpart.Kind is CounterpartKind.AsyncStream or CounterpartKind.ForEachAsAsyncEnumerable)
                    && !IsRecursiveTwin(site, function);
            case SiteKind.ForEach:
                return site.Counterpart is { IsFixable: true } && !configureAwait;
            case SiteKind.Wait:
                return site.Wait is { Awaitable: not null } wait
                    && wait.Kind is TaskWaitKind.Result or TaskWaitKind.GetAwaiterGetResult or TaskWaitKind.Wait
                    && !wait.HasTimeoutOrToken
                    && !(configureAwait && wait.ConfigureAwait is not null);
            case SiteKind.AlreadyAsync:
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>LoadAsync() =&gt; Task.Run(() =&gt; Load())</c> must not become <c>LoadAsync() =&gt; LoadAsync()</c>.</summary>
    private static bool IsRecursiveTwin(Site site, IAnonymousFunctionOperation function)
    {
        if (site.OwnCallee is null || site.Counterpart is null)
        {
            return false;
        }

        for (var current = function.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation local && local.Symbol.Name == site.Counterpart.AsyncMember)
            {
                return true;
            }
        }

        var enclosing = function.SemanticModel?.GetEnclosingSymbol(function.Syntax.SpanStart);
        while (enclosing is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            if (enclosing.Name == site.Counterpart.AsyncMember)
            {
                return true;
            }

            enclosing = enclosing.ContainingSymbol;
        }

        return enclosing is IMethodSymbol method && method.Name == site.Counterpart.AsyncMember
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, site.OwnCallee.ContainingType);
    }

    private static FixTarget? PlanBlock(Wrapper wrapper, IAnonymousFunctionOperation function, AnonymousFunctionExpressionSyntax functionSyntax, IAwaitOperation awaitOperation)
    {
        if (functionSyntax.Block is not { } block || awaitOperation.Syntax is not AwaitExpressionSyntax awaitSyntax)
        {
            return null;
        }

        var returnsValue = !function.Symbol.ReturnsVoid;
        var statement = GetInlinableStatement(awaitSyntax, returnsValue, out var target);
        if (statement is null
            || statement.Parent is GlobalStatementSyntax
            || !HasInlinableReturns(block, returnsValue)
            || HasNameClash(functionSyntax, statement)
            || HasLabels(block))
        {
            return null;
        }

        return target;
    }

    /// <summary>The statement whose expression is the awaited Task.Run, when inlining there keeps the meaning.</summary>
    private static StatementSyntax? GetInlinableStatement(AwaitExpressionSyntax awaitSyntax, bool returnsValue, out FixTarget target)
    {
        target = FixTarget.Await;
        switch (awaitSyntax.Parent)
        {
            case ExpressionStatementSyntax statement:
                target = FixTarget.AwaitStatement;
                return statement;
            case ReturnStatementSyntax statement when returnsValue:
                target = FixTarget.AwaitReturn;
                return statement;
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration } } }
                when returnsValue && declaration.UsingKeyword.IsKind(SyntaxKind.None) && !declaration.IsConst
                    && declaration.Parent is BlockSyntax or SwitchSectionSyntax:
                target = FixTarget.AwaitDeclaration;
                return declaration;
            default:
                return null;
        }
    }

    /// <summary>
    /// A value lambda ends in its only return; a void lambda has none but a final <c>return;</c>. Any other
    /// return would leave the enclosing function once inlined.
    /// </summary>
    private static bool HasInlinableReturns(BlockSyntax block, bool returnsValue)
    {
        var statements = block.Statements;
        foreach (var node in block.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is ReturnStatementSyntax ret && !(statements.Count > 0 && ReferenceEquals(ret, statements[statements.Count - 1])))
            {
                return false;
            }

            if (node is YieldStatementSyntax)
            {
                return false;
            }
        }

        var last = statements.Count > 0 ? statements[statements.Count - 1] as ReturnStatementSyntax : null;
        return returnsValue ? last?.Expression is not null : last is null || last.Expression is null;
    }

    private static bool HasLabels(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is LabeledStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private FixPlan? PlanReturn(Wrapper wrapper, IAnonymousFunctionOperation function, AnonymousFunctionExpressionSyntax functionSyntax, ISymbol? containingSymbol)
    {
        // The Task.Run must be the value a non-async function returns.
        IOperation current = wrapper.Invocation;
        while (current.Parent is IConversionOperation { IsImplicit: true } conversion)
        {
            current = conversion;
        }

        if (current.Parent is not IReturnOperation { Kind: OperationKind.Return } returnOperation)
        {
            return null;
        }

        var enclosing = FindEnclosingFunction(returnOperation, containingSymbol);
        if (enclosing.Symbol is not { IsAsync: false } enclosingMethod || enclosing.Body is null
            || !IsTaskType(enclosingMethod.ReturnType, out var isVoidTask)
            || CountReturns(enclosing.Body) != 1)
        {
            return null;
        }

        var direct = TryPlanDirect(wrapper, enclosingMethod, isVoidTask, returnOperation);
        if (direct is not null)
        {
            return direct;
        }

        if (!CanBecomeAsync(enclosingMethod, enclosing.Syntax))
        {
            return null;
        }

        if (wrapper.Body is not null)
        {
            if (DeclaresVariables(wrapper.Body) && HasNameClash(functionSyntax, returnOperation.Syntax))
            {
                return null;
            }

            if (isVoidTask && !IsStatementExpressionAfterAwait(wrapper))
            {
                return null;
            }

            return new FixPlan(FixForm.Expression, FixTarget.Return) { MakeAsync = true, VoidTask = isVoidTask };
        }

        // return Task.Run(() => { …; return x; }) in a block: inline before the return.
        if (functionSyntax.Block is not { } block || returnOperation.Syntax is not ReturnStatementSyntax returnStatement
            || returnStatement.Parent is not (BlockSyntax or SwitchSectionSyntax)
            || isVoidTask != function.Symbol.ReturnsVoid
            || !HasInlinableReturns(block, !function.Symbol.ReturnsVoid)
            || HasNameClash(functionSyntax, returnStatement)
            || HasLabels(block))
        {
            return null;
        }

        return new FixPlan(FixForm.Block, FixTarget.Return) { MakeAsync = true, VoidTask = isVoidTask };
    }

    /// <summary><c>return Task.Run(() =&gt; X(a))</c> → <c>return XAsync(a)</c> when the task types are the same.</summary>
    private FixPlan? TryPlanDirect(Wrapper wrapper, IMethodSymbol enclosing, bool isVoidTask, IReturnOperation returnOperation)
    {
        if (wrapper.Body is not { } body || wrapper.Sites.Count != 1 || IsInsideDisposalOrLock(returnOperation))
        {
            return null;
        }

        var site = wrapper.Sites[0];
        if (!ReferenceEquals(site.Location.SourceTree, body.SyntaxTree) || site.Location.SourceSpan != body.Span)
        {
            return null;
        }

        ITypeSymbol? taskType = site.Kind switch
        {
            SiteKind.AlreadyAsync => site.Operation?.Type,
            SiteKind.Wait when site.Wait is { Task: { } task, ConfigureAwait: null } => task.Type,
            SiteKind.Call when site.Counterpart is { ResultCast: null, Kind: not (CounterpartKind.AsyncStream or CounterpartKind.ForEachAsAsyncEnumerable) } counterpart
                && site.Operation is IInvocationOperation invocation => GetCounterpartType(invocation, counterpart),
            _ => null,
        };

        if (taskType is null)
        {
            return null;
        }

        var agrees = SymbolEqualityComparer.Default.Equals(taskType, enclosing.ReturnType)
            || (isVoidTask && SymbolEqualityComparer.Default.Equals(enclosing.ReturnType, waits.TaskType)
                && taskType is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, waits.TaskOfTType));
        return agrees ? new FixPlan(FixForm.Direct, FixTarget.Return) : null;
    }

    /// <summary>
    /// The task type the counterpart call returns (<c>Task&lt;List&lt;Order&gt;&gt;</c>, <c>ValueTask&lt;Order?&gt;</c>): the chosen
    /// async method with the blocking call's type arguments. Substituted by hand, since binding the call
    /// speculatively costs milliseconds (extension method lookup) and this runs for every returned wrapper.
    /// </summary>
    private static ITypeSymbol? GetCounterpartType(IInvocationOperation invocation, AsyncCounterpart counterpart)
    {
        if (counterpart.AsyncMethod is not { } asyncMethod)
        {
            return null;
        }

        var sync = invocation.TargetMethod;
        var method = asyncMethod;
        if (asyncMethod.ContainingType is { IsGenericType: true } genericOwner)
        {
            // DbSet<TEntity>.FindAsync: take the member from DbSet<Order>, found on the blocking call's own type or a base.
            IMethodSymbol? member = null;
            for (var type = sync.ContainingType; type is not null && member is null; type = type.BaseType)
            {
                if (!SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, genericOwner.OriginalDefinition))
                {
                    continue;
                }

                foreach (var candidate in type.GetMembers(asyncMethod.Name))
                {
                    if (candidate is IMethodSymbol constructed && SymbolEqualityComparer.Default.Equals(constructed.OriginalDefinition, asyncMethod))
                    {
                        member = constructed;
                        break;
                    }
                }
            }

            if (member is null)
            {
                return null;
            }

            method = member;
        }

        if (method.IsGenericMethod)
        {
            // The model pairs methods of equal arity whose type parameters match by position.
            var typeArguments = sync.TypeArguments;
            if (typeArguments.Length != method.Arity)
            {
                return null;
            }

            method = method.Construct(typeArguments, sync.TypeArgumentNullableAnnotations);
        }

        return method.ReturnType;
    }

    private bool IsTaskType(ITypeSymbol type, out bool isVoidTask)
    {
        isVoidTask = type is INamedTypeSymbol { Arity: 0 } && waits.IsTaskLike(type);
        return waits.IsTaskLike(type);
    }

    /// <summary>With a non-generic task the returned expression becomes a statement: it must be one.</summary>
    private static bool IsStatementExpressionAfterAwait(Wrapper wrapper)
    {
        if (wrapper.Body is not { } body || wrapper.Sites.Count == 0)
        {
            return false;
        }

        // The expression is replaced by the awaited site when it is the site itself; otherwise it stays an invocation or assignment.
        var site = wrapper.Sites[0];
        return (wrapper.Sites.Count == 1 && site.Location.SourceSpan == body.Span && site.Counterpart?.ResultCast is null)
            || body is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax;
    }

    private static bool CanBecomeAsync(IMethodSymbol method, SyntaxNode? syntax)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.AnonymousFunction)
            || syntax is null)
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType)
            {
                return false;
            }
        }

        return syntax is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax;
    }

    private static (IMethodSymbol? Symbol, IOperation? Body, SyntaxNode? Syntax) FindEnclosingFunction(IOperation operation, ISymbol? containingSymbol)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return (lambda.Symbol, lambda.Body, lambda.Syntax);
                case ILocalFunctionOperation local:
                    return (local.Symbol, local.Body ?? (IOperation?)local.IgnoredBody, local.Syntax);
            }

            current = parent;
        }

        return (containingSymbol as IMethodSymbol, current, current.Syntax);
    }

    private static int CountReturns(IOperation body)
    {
        var count = 0;
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation is IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldReturn or OperationKind.YieldBreak })
            {
                count += operation.Kind == OperationKind.Return ? 1 : 100;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return count;
    }

    /// <summary>Returning the counterpart's task from inside a using, lock or try/finally would dispose or release too early.</summary>
    private static bool IsInsideDisposalOrLock(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IUsingOperation or ILockOperation:
                case ITryOperation { Finally: not null }:
                    return true;
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement is IUsingDeclarationOperation && statement.Syntax.SpanStart < operation.Syntax.SpanStart)
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    private static bool IsInLockWithin(IOperation operation, IAnonymousFunctionOperation function)
    {
        for (var current = operation.Parent; current is not null && !ReferenceEquals(current, function); current = current.Parent)
        {
            if (current is ILockOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInUnsafeContext(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case UnsafeStatementSyntax:
                    return true;
                case MemberDeclarationSyntax member when member.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                    return true;
                case LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                    return true;
            }
        }

        return false;
    }

    private static bool HasRefLikeValue(IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation.Type is { IsRefLikeType: true }
                || operation is IVariableDeclaratorOperation { Symbol: { } local } && (local.IsRef || local.Type.IsRefLikeType))
            {
                return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return false;
    }

    private static bool DeclaresVariables(SyntaxNode node)
    {
        foreach (var descendant in node.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax))
        {
            if (descendant is SingleVariableDesignationSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a name the delegate declares is also written anywhere else in the enclosing member (a local, a
    /// parameter, a field used by simple name): once inlined, the two would collide or one would hide the other.
    /// </summary>
    private static bool HasNameClash(AnonymousFunctionExpressionSyntax function, SyntaxNode place)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in function.Body.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax || n == function.Body))
        {
            var identifier = node switch
            {
                VariableDeclaratorSyntax declarator => declarator.Identifier,
                SingleVariableDesignationSyntax designation => designation.Identifier,
                ForEachStatementSyntax forEach => forEach.Identifier,
                CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier,
                LocalFunctionStatementSyntax local => local.Identifier,
                FromClauseSyntax from => from.Identifier,
                LetClauseSyntax let => let.Identifier,
                JoinClauseSyntax join => join.Identifier,
                QueryContinuationSyntax continuation => continuation.Identifier,
                _ => default,
            };

            if (!identifier.IsKind(SyntaxKind.None))
            {
                declared.Add(identifier.ValueText);
            }
        }

        if (declared.Count == 0)
        {
            return false;
        }

        SyntaxNode member = place;
        foreach (var ancestor in place.AncestorsAndSelf())
        {
            if (ancestor is MemberDeclarationSyntax or CompilationUnitSyntax)
            {
                member = ancestor;
                break;
            }
        }

        var inside = function.Span;
        foreach (var token in member.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && !inside.Contains(token.Span) && declared.Contains(token.ValueText))
            {
                return true;
            }
        }

        return false;
    }

    private static (IAwaitOperation? Await, IInvocationOperation? ConfigureAwait) FindAwait(IInvocationOperation invocation)
    {
        IOperation current = invocation;
        IInvocationOperation? configureAwait = null;
        if (current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Arguments.Length: 1 } configure
            && ReferenceEquals(configure.Instance, current))
        {
            configureAwait = configure;
            current = configure;
        }

        return current.Parent is IAwaitOperation awaitOperation ? (awaitOperation, configureAwait) : (null, null);
    }
}

internal sealed class FixPlan
{
    public FixPlan(FixForm form, FixTarget target)
    {
        Form = form;
        Target = target;
    }

    public FixForm Form { get; }

    public FixTarget Target { get; }

    public bool MakeAsync { get; set; }

    public bool VoidTask { get; set; }
}

/// <summary>How the TA0001 fix rewrites the wrapper; chosen by <see cref="TaskRunWrapperFixPlanner"/>, performed by the fixer.</summary>
internal enum FixForm
{
    /// <summary><c>() =&gt; expr</c>: the expression, its blocking calls awaited, takes the place of the wrapper.</summary>
    Expression,

    /// <summary><c>() =&gt; { …; return x; }</c>: the statements move before the statement that held the wrapper.</summary>
    Block,

    /// <summary><c>return Task.Run(() =&gt; X(a))</c> → <c>return XAsync(a)</c>: the task types are the same.</summary>
    Direct,
}

/// <summary>What the rewrite replaces.</summary>
internal enum FixTarget
{
    /// <summary>The <c>await Task.Run(…)[.ConfigureAwait(…)]</c> expression.</summary>
    Await,

    /// <summary>The statement <c>await Task.Run(…);</c>.</summary>
    AwaitStatement,

    /// <summary>The statement <c>return await Task.Run(…);</c>.</summary>
    AwaitReturn,

    /// <summary>The statement <c>var v = await Task.Run(…);</c>.</summary>
    AwaitDeclaration,

    /// <summary>The <c>Task.Run(…)</c> a non-async function returns.</summary>
    Return,
}
