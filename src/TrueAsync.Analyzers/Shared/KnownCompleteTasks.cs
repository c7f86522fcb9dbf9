using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>
/// Decides whether a task is already complete where it is read, so that reading it does not block:
/// after an earlier <c>await t</c> (or an awaited <c>Task.WhenAll</c> that includes <c>t</c>, or an earlier
/// wait on it) in an enclosing block, inside an <c>if (t.IsCompleted)</c>-style guard, after an early exit
/// guarded that way, a task made complete (<c>Task.FromResult</c>, <c>Task.CompletedTask</c>), and the
/// antecedent inside a <c>ContinueWith</c> callback.
/// </summary>
/// <remarks>
/// Completion never reverts, so the only thing that undoes what was learned is assigning the variable
/// again; a local or parameter written after the point where completion was learned (or written in any
/// lambda) is therefore not trusted.
/// </remarks>
internal static class KnownCompleteTasks
{
    /// <summary>Whether the task that <paramref name="wait"/> reads is known to be complete at that point.</summary>
    public static bool IsKnownComplete(TaskWait wait, TaskWaits waits)
    {
        var task = TaskWaits.SkipConversions(wait.Task);
        if (task is null)
        {
            return false;
        }

        if (IsCompleteByConstruction(task, waits) || IsContinuationAntecedent(task))
        {
            return true;
        }

        if (!IsTrackable(task))
        {
            return false;
        }

        var child = wait.Operation;
        for (var parent = child.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            IOperation? learnedAt = null;
            switch (parent)
            {
                case IConditionalOperation conditional when ReferenceEquals(child, conditional.WhenTrue):
                    learnedAt = Implies(conditional.Condition, task, whenTrue: true);
                    break;
                case IConditionalOperation conditional when ReferenceEquals(child, conditional.WhenFalse):
                    learnedAt = Implies(conditional.Condition, task, whenTrue: false);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when ReferenceEquals(child, conjunction.RightOperand):
                    learnedAt = Implies(conjunction.LeftOperand, task, whenTrue: true);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when ReferenceEquals(child, disjunction.RightOperand):
                    learnedAt = Implies(disjunction.LeftOperand, task, whenTrue: false);
                    break;
                case IBlockOperation block:
                    learnedAt = FindInEarlierStatements(block.Operations, child, task, waits);
                    break;
                case ISwitchCaseOperation section:
                    learnedAt = FindInEarlierStatements(section.Body, child, task, waits);
                    break;
                case ILocalFunctionOperation:
                    // A local function can be called before the statements that precede its declaration.
                    return false;
            }

            if (learnedAt is not null && !IsWrittenAfter(task, learnedAt))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? FindInEarlierStatements(ImmutableArray<IOperation> statements, IOperation child, IOperation task, TaskWaits waits)
    {
        foreach (var statement in statements)
        {
            if (ReferenceEquals(statement, child))
            {
                break;
            }

            if (FindCompletionInStatement(statement, task, waits) is { } learnedAt)
            {
                return learnedAt;
            }
        }

        return null;
    }

    /// <summary>
    /// Where <paramref name="statement"/>, once it has run to its end, has made <paramref name="task"/> complete:
    /// the reference to the task in the completing await or wait, or in the guard of an early exit.
    /// </summary>
    private static IOperation? FindCompletionInStatement(IOperation statement, IOperation task, TaskWaits waits)
    {
        switch (statement)
        {
            case IConditionalOperation { WhenFalse: null } conditional:
                // if (!t.IsCompleted) return;   or   if (!t.IsCompleted) await t;
                if (Implies(conditional.Condition, task, whenTrue: false) is { } guard
                    && (AlwaysExits(conditional.WhenTrue) || FindCompletionInStatement(conditional.WhenTrue, task, waits) is not null))
                {
                    return guard;
                }

                return FindCompletionInExpression(conditional.Condition, task, waits);
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (FindCompletionInStatement(inner, task, waits) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case IUsingOperation usingStatement:
                return FindCompletionInExpression(usingStatement.Resources, task, waits)
                    ?? FindCompletionInStatement(usingStatement.Body, task, waits);
            case ILockOperation lockStatement:
                return FindCompletionInExpression(lockStatement.LockedValue, task, waits)
                    ?? FindCompletionInStatement(lockStatement.Body, task, waits);
            case IConditionalOperation:
            case ILoopOperation:
            case ITryOperation:
            case ISwitchOperation:
            case ILocalFunctionOperation:
                // Their parts may not run (a caught exception, a branch not taken, zero iterations).
                return null;
            default:
                return FindCompletionInExpression(statement, task, waits);
        }
    }

    /// <summary>Searches the parts of an expression that always run when it completes.</summary>
    private static IOperation? FindCompletionInExpression(IOperation operation, IOperation task, TaskWaits waits)
    {
        if (CompletingReference(operation, task, waits) is { } found)
        {
            return found;
        }

        switch (operation)
        {
            case IConditionalOperation conditional:
                return FindCompletionInExpression(conditional.Condition, task, waits);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical:
                return FindCompletionInExpression(logical.LeftOperand, task, waits);
            case ICoalesceOperation coalesce:
                return FindCompletionInExpression(coalesce.Value, task, waits);
            case IConditionalAccessOperation access:
                return FindCompletionInExpression(access.Operation, task, waits);
            case ISwitchExpressionOperation switchExpression:
                return FindCompletionInExpression(switchExpression.Value, task, waits);
            case ICoalesceAssignmentOperation coalesceAssignment:
                return FindCompletionInExpression(coalesceAssignment.Target, task, waits);
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
            case ILoopOperation:
            case ITryOperation:
            case ISwitchOperation:
                return null;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (FindCompletionInExpression(child, task, waits) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>When <paramref name="operation"/> itself completes the task (await, or a wait without timeout), the reference to the task in it.</summary>
    private static IOperation? CompletingReference(IOperation operation, IOperation task, TaskWaits waits)
    {
        if (operation is IAwaitOperation awaitOperation)
        {
            var awaited = TaskWaits.SkipConversions(awaitOperation.Operation);
            if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && waits.IsTaskLike(configure.TargetMethod.ContainingType))
            {
                awaited = TaskWaits.SkipConversions(configure.Instance);
            }

            return awaited is null ? null : ReferenceOrWhenAllElement(awaited, task, waits);
        }

        if (operation.Kind is not (OperationKind.Invocation or OperationKind.PropertyReference)
            || waits.TryGetWait(operation) is not { Timeout: null } wait)
        {
            return null;
        }

        switch (wait.Kind)
        {
            case TaskWaitKind.WaitAny:
                return null;
            case TaskWaitKind.WaitAll:
                return wait.Tasks is null ? null : FindInCollection(wait.Tasks.Value, task);
            default:
                var waited = TaskWaits.SkipConversions(wait.Task);
                return waited is null ? null : ReferenceOrWhenAllElement(waited, task, waits);
        }
    }

    private static IOperation? ReferenceOrWhenAllElement(IOperation awaited, IOperation task, TaskWaits waits)
    {
        if (IsSameVariable(awaited, task))
        {
            return awaited;
        }

        if (awaited is IInvocationOperation { TargetMethod: { Name: "WhenAll", IsStatic: true } whenAll } invocation
            && SymbolEqualityComparer.Default.Equals(whenAll.ContainingType, waits.TaskType))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    return FindInCollection(argument.Value, task);
                }
            }
        }

        return null;
    }

    /// <summary>The element that references <paramref name="task"/> in an inline collection, or in the initializer of a local that holds one.</summary>
    private static IOperation? FindInCollection(IOperation collection, IOperation task)
    {
        var elements = TaskWaits.GetCollectionElements(collection);
        foreach (var element in elements)
        {
            if (IsSameVariable(TaskWaits.SkipConversions(element), task))
            {
                return element;
            }
        }

        if (elements.Length == 1
            && TaskWaits.SkipConversions(elements[0]) is ILocalReferenceOperation { Local: { IsRef: false } local } holder
            && GetInitializer(local, holder) is { } initializer
            && !IsWrittenAnywhere(local, holder))
        {
            foreach (var element in TaskWaits.GetCollectionElements(initializer))
            {
                if (IsSameVariable(TaskWaits.SkipConversions(element), task))
                {
                    return element;
                }
            }
        }

        return null;
    }

    private static IOperation? GetInitializer(ILocalSymbol local, IOperation reference)
    {
        if (local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model)
        {
            return null;
        }

        var syntax = local.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax is not VariableDeclaratorSyntax { Initializer.Value: { } value } || value.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        return model.GetOperation(value);
    }

    /// <summary>
    /// Whether, when <paramref name="condition"/> evaluates to <paramref name="whenTrue"/>, the task is complete;
    /// returns the reference to the task in the guard (<c>t.IsCompleted</c>, <c>t.IsCompletedSuccessfully</c>,
    /// <c>t.Status == TaskStatus.RanToCompletion</c>, combined with <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>).
    /// </summary>
    private static IOperation? Implies(IOperation condition, IOperation task, bool whenTrue)
    {
        condition = TaskWaits.SkipConversions(condition) ?? condition;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Implies(not.Operand, task, !whenTrue);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction:
                return whenTrue ? Implies(conjunction.LeftOperand, task, true) ?? Implies(conjunction.RightOperand, task, true) : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction:
                return whenTrue ? null : Implies(disjunction.LeftOperand, task, false) ?? Implies(disjunction.RightOperand, task, false);
            case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully", Instance: { } instance }
                when whenTrue && IsSameReference(instance, task):
                return instance;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when whenTrue == (comparison.OperatorKind == BinaryOperatorKind.Equals):
                return RanToCompletionCheck(comparison.LeftOperand, comparison.RightOperand, task)
                    ?? RanToCompletionCheck(comparison.RightOperand, comparison.LeftOperand, task);
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: { } value } } pattern when whenTrue:
                return RanToCompletionCheck(pattern.Value, value, task);
            default:
                return null;
        }
    }

    private static IOperation? RanToCompletionCheck(IOperation status, IOperation value, IOperation task)
    {
        return TaskWaits.SkipConversions(status) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance }
            && TaskWaits.SkipConversions(value) is IFieldReferenceOperation { Field.Name: "RanToCompletion" }
            && IsSameReference(instance, task)
            ? instance
            : null;
    }

    private static bool AlwaysExits(IOperation statement)
    {
        switch (statement)
        {
            case IReturnOperation:
            case IThrowOperation:
            case IExpressionStatementOperation { Operation: IThrowOperation }:
            case IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue }:
                return true;
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (AlwaysExits(inner))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool IsCompleteByConstruction(IOperation task, TaskWaits waits)
    {
        switch (task)
        {
            case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } method }:
                return waits.IsTaskLike(method.ContainingType);
            case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property }:
                return waits.IsTaskLike(property.ContainingType);
            case IObjectCreationOperation { Constructor: { } constructor } creation when waits.IsTaskLike(creation.Type):
                // new ValueTask<T>(result) is complete; new ValueTask<T>(task) or (source, token) is not.
                return constructor.Parameters.Length == 0
                    || (constructor.Parameters.Length == 1 && constructor.OriginalDefinition.Parameters[0].Type.TypeKind == TypeKind.TypeParameter);
            case IDefaultValueOperation defaultValue:
                return waits.IsTaskLike(defaultValue.Type) && defaultValue.Type?.IsValueType == true;
            default:
                return false;
        }
    }

    /// <summary>The antecedent inside <c>t.ContinueWith(prev =&gt; prev.Result)</c> and the tasks of <c>ContinueWhenAny/All</c> callbacks.</summary>
    private static bool IsContinuationAntecedent(IOperation task)
    {
        var isElement = false;
        IParameterSymbol parameter;
        switch (task)
        {
            case IParameterReferenceOperation reference:
                parameter = reference.Parameter;
                break;
            case IArrayElementReferenceOperation { ArrayReference: IParameterReferenceOperation array }:
                parameter = array.Parameter;
                isElement = true;
                break;
            default:
                return false;
        }

        if (parameter.Ordinal != 0 || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambdaSymbol)
        {
            return false;
        }

        for (var current = task.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation function || !SymbolEqualityComparer.Default.Equals(function.Symbol, lambdaSymbol))
            {
                continue;
            }

            IOperation outer = function;
            while (outer.Parent is IDelegateCreationOperation or IConversionOperation)
            {
                outer = outer.Parent;
            }

            if (outer.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod: var method } }
                || method.ContainingType is not { Name: "Task" or "TaskFactory" } owner
                || owner.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
            {
                return false;
            }

            return isElement ? method.Name == "ContinueWhenAll" : method.Name is "ContinueWith" or "ContinueWhenAny";
        }

        return false;
    }

    /// <summary>Locals, parameters, and field or property chains on them (<c>_task</c>, <c>this.job.Task</c>).</summary>
    private static bool IsTrackable(IOperation operation) => operation switch
    {
        ILocalReferenceOperation or IParameterReferenceOperation => true,
        IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation || IsTrackable(field.Instance),
        IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Instance is null or IInstanceReferenceOperation || IsTrackable(property.Instance),
        _ => false,
    };

    /// <summary>The same local or parameter (the only places an earlier await can be trusted for).</summary>
    private static bool IsSameVariable(IOperation? a, IOperation b) => (a, TaskWaits.SkipConversions(b)) switch
    {
        (ILocalReferenceOperation x, ILocalReferenceOperation y) => !x.Local.IsRef && SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
        (IParameterReferenceOperation x, IParameterReferenceOperation y) => x.Parameter.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
        _ => false,
    };

    /// <summary>The same variable, or the same field/property chain (guards on members are trusted as written).</summary>
    private static bool IsSameReference(IOperation? a, IOperation? b)
    {
        a = TaskWaits.SkipConversions(a);
        b = TaskWaits.SkipConversions(b);
        return (a, b) switch
        {
            (null, null) => true,
            (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
            (ILocalReferenceOperation or IParameterReferenceOperation, _) => IsSameVariable(a, b!),
            (IFieldReferenceOperation x, IFieldReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Field, y.Field) && IsSameReference(x.Instance, y.Instance),
            (IPropertyReferenceOperation { Arguments.Length: 0 } x, IPropertyReferenceOperation { Arguments.Length: 0 } y)
                => SymbolEqualityComparer.Default.Equals(x.Property, y.Property) && IsSameReference(x.Instance, y.Instance),
            _ => false,
        };
    }

    /// <summary>
    /// Whether the local or parameter behind <paramref name="task"/> is assigned after <paramref name="learnedAt"/>,
    /// or anywhere inside a lambda or local function (which may run at any time). Members are not tracked.
    /// </summary>
    private static bool IsWrittenAfter(IOperation task, IOperation learnedAt)
    {
        var symbol = VariableSymbol(task);
        if (symbol is null)
        {
            return false;
        }

        var position = learnedAt.Syntax.SpanStart;
        foreach (var write in Writes(symbol, Root(task)))
        {
            if (write.Syntax.SpanStart > position || RunsAtUnknownTime(write, learnedAt))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrittenAnywhere(ILocalSymbol local, IOperation reference) => Writes(local, Root(reference)).Any();

    private static IEnumerable<IOperation> Writes(ISymbol symbol, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            var matches = operation switch
            {
                ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
                IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
                _ => false,
            };

            if (matches && IsWrite(operation))
            {
                yield return operation;
            }
        }
    }

    private static bool IsWrite(IOperation reference)
    {
        var current = reference;
        // Deconstruction targets sit inside tuples: (t, x) = …
        while (current.Parent is ITupleOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IAssignmentOperation assignment => ReferenceEquals(assignment.Target, current),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            IIncrementOrDecrementOperation => true,
            _ => false,
        };
    }

    private static ISymbol? VariableSymbol(IOperation task) => task switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>A write inside a lambda or local function that does not also hold <paramref name="learnedAt"/> may run at any time.</summary>
    private static bool RunsAtUnknownTime(IOperation write, IOperation learnedAt)
    {
        for (var current = write.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return !current.Syntax.Span.Contains(learnedAt.Syntax.Span);
            }
        }

        return false;
    }

    private static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }
}
