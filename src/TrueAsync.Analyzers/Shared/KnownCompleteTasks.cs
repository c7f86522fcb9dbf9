using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Engine;

namespace TrueAsync.Analyzers.Shared;

/// <summary>
/// Decides whether a task is already complete where it is read, so that reading it does not block:
/// after an earlier <c>await t</c> (or an awaited <c>Task.WhenAll</c> that includes <c>t</c>, or an earlier
/// wait on it) in an enclosing block; inside an <c>if (t.IsCompleted)</c>-style guard, a <c>switch</c> on a
/// final <c>t.Status</c>, or <c>if (await Task.WhenAny(t, …) == t)</c>; after an early exit guarded that way;
/// for the elements of a collection awaited with <c>Task.WhenAll(tasks)</c>; for tasks made complete
/// (<c>Task.FromResult</c>, <c>Task.CompletedTask</c>); and for the antecedent of a <c>ContinueWith</c> callback.
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

        // new ValueTask<T>(task).Result reads the task (a ValueTask over a Task is no IValueTaskSource): it is complete
        // when the task is.
        if (TaskInsideValueTask(task, waits) is { } inner)
        {
            task = inner;
        }

        if (IsCompleteByConstruction(task, waits) || IsContinuationAntecedent(task) || IsCompletionCallbackTask(task, waits))
        {
            return true;
        }

        if (IsTrackable(task) && IsLearnedBefore(wait.Operation, task, collection: false, waits))
        {
            return true;
        }

        // tasks.Select(t => t.Result), foreach (var t in tasks) … t.Result, tasks[i].Result after await Task.WhenAll(tasks).
        return ElementSource(task) is { } source && IsLearnedBefore(wait.Operation, source, collection: true, waits);
    }

    /// <summary>
    /// Walks out from <paramref name="wait"/> looking for what proves <paramref name="subject"/> complete:
    /// the task itself, or with <paramref name="collection"/> a collection all of whose tasks were awaited.
    /// </summary>
    private static bool IsLearnedBefore(IOperation wait, IOperation subject, bool collection, TaskWaits waits)
    {
        var child = wait;
        for (var parent = child.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            IOperation? learnedAt = null;
            switch (parent)
            {
                case IConditionalOperation conditional when !collection && ReferenceEquals(child, conditional.WhenTrue):
                    learnedAt = Implies(conditional.Condition, subject, whenTrue: true);
                    break;
                case IConditionalOperation conditional when !collection && ReferenceEquals(child, conditional.WhenFalse):
                    learnedAt = Implies(conditional.Condition, subject, whenTrue: false);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when !collection && ReferenceEquals(child, conjunction.RightOperand):
                    learnedAt = Implies(conjunction.LeftOperand, subject, whenTrue: true);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when !collection && ReferenceEquals(child, disjunction.RightOperand):
                    learnedAt = Implies(disjunction.LeftOperand, subject, whenTrue: false);
                    break;
                case IBlockOperation block:
                    learnedAt = FindInEarlierStatements(block.Operations, child, subject, collection, waits);
                    break;
                case ISwitchCaseOperation section:
                    learnedAt = (collection ? null : StatusSwitchSection(section, subject))
                        ?? FindInEarlierStatements(section.Body, child, subject, collection, waits);
                    break;
                case ISwitchExpressionArmOperation { Guard: null, Pattern: IConstantPatternOperation { Value: var armValue }, Parent: ISwitchExpressionOperation switchExpression } arm
                    when !collection && ReferenceEquals(child, arm.Value):
                    learnedAt = FinalStatusCheck(switchExpression.Value, armValue, subject);
                    break;
                case ILocalFunctionOperation:
                    // A local function can be called before the statements that precede its declaration.
                    return false;
            }

            if (learnedAt is not null && !IsWrittenAfter(subject, learnedAt))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The local or parameter collection a task comes from: the receiver of the LINQ-style call a lambda
    /// parameter is fed from, the collection of the <c>foreach</c> that declares it, or the array/list indexed.
    /// </summary>
    private static IOperation? ElementSource(IOperation task)
    {
        IOperation? source = null;
        switch (task)
        {
            case IArrayElementReferenceOperation element:
                source = element.ArrayReference;
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                source = indexer.Instance;
                break;
            case ILocalReferenceOperation { Local: var local }:
                for (var current = task.Parent; current is not null; current = current.Parent)
                {
                    if (current is IForEachLoopOperation loop && loop.Locals.Contains(local, SymbolEqualityComparer.Default))
                    {
                        source = loop.Collection;
                        break;
                    }
                }

                break;
            case IParameterReferenceOperation { Parameter: { Ordinal: 0, ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda } parameter }:
                source = LambdaSource(task, lambda, parameter.Type);
                break;
        }

        source = TaskWaits.SkipConversions(source);
        return source is ILocalReferenceOperation or IParameterReferenceOperation ? source : null;
    }

    private static IOperation? LambdaSource(IOperation task, IMethodSymbol lambda, ITypeSymbol elementType)
    {
        for (var current = task.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation function || !SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
            {
                continue;
            }

            IOperation outer = function;
            while (outer.Parent is IDelegateCreationOperation or IConversionOperation)
            {
                outer = outer.Parent;
            }

            if (outer.Parent is not IArgumentOperation { Parent: IInvocationOperation invocation } argument)
            {
                return null;
            }

            var receiver = invocation.Instance;
            if (receiver is null && invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 && !ReferenceEquals(invocation.Arguments[0], argument))
            {
                receiver = invocation.Arguments[0].Value;
            }

            // The lambda must take the collection's elements, not something else (an accumulator, a key).
            receiver = TaskWaits.SkipConversions(receiver);
            return receiver?.Type is { } collectionType && ElementTypeIs(collectionType, elementType) ? receiver : null;
        }

        return null;
    }

    private static bool ElementTypeIs(ITypeSymbol collectionType, ITypeSymbol elementType)
    {
        if (collectionType is IArrayTypeSymbol array)
        {
            return SymbolEqualityComparer.Default.Equals(array.ElementType, elementType);
        }

        if (IsEnumerableOf(collectionType, elementType))
        {
            return true;
        }

        foreach (var candidate in collectionType.AllInterfaces)
        {
            if (IsEnumerableOf(candidate, elementType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEnumerableOf(ITypeSymbol type, ITypeSymbol elementType)
        => type is INamedTypeSymbol { Name: "IEnumerable", Arity: 1 } enumerable
            && SymbolEqualityComparer.Default.Equals(enumerable.TypeArguments[0], elementType);

    private static IOperation? FindInEarlierStatements(ImmutableArray<IOperation> statements, IOperation child, IOperation task, bool collection, TaskWaits waits)
    {
        foreach (var statement in statements)
        {
            if (ReferenceEquals(statement, child))
            {
                break;
            }

            if (FindCompletionInStatement(statement, task, collection, waits) is { } learnedAt)
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
    private static IOperation? FindCompletionInStatement(IOperation statement, IOperation task, bool collection, TaskWaits waits)
    {
        switch (statement)
        {
            case IConditionalOperation { WhenFalse: null } conditional:
                // if (!t.IsCompleted) return;   or   if (!t.IsCompleted) await t;
                if (!collection
                    && Implies(conditional.Condition, task, whenTrue: false) is { } guard
                    && (AlwaysExits(conditional.WhenTrue) || FindCompletionInStatement(conditional.WhenTrue, task, collection, waits) is not null))
                {
                    return guard;
                }

                return FindCompletionInExpression(conditional.Condition, task, collection, waits);
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (FindCompletionInStatement(inner, task, collection, waits) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case IUsingOperation usingStatement:
                return FindCompletionInExpression(usingStatement.Resources, task, collection, waits)
                    ?? FindCompletionInStatement(usingStatement.Body, task, collection, waits);
            case ILockOperation lockStatement:
                return FindCompletionInExpression(lockStatement.LockedValue, task, collection, waits)
                    ?? FindCompletionInStatement(lockStatement.Body, task, collection, waits);
            case IConditionalOperation:
            case ILoopOperation:
            case ITryOperation:
            case ISwitchOperation:
            case ILocalFunctionOperation:
                // Their parts may not run (a caught exception, a branch not taken, zero iterations).
                return null;
            default:
                return FindCompletionInExpression(statement, task, collection, waits);
        }
    }

    /// <summary>Searches the parts of an expression that always run when it completes.</summary>
    private static IOperation? FindCompletionInExpression(IOperation operation, IOperation task, bool collection, TaskWaits waits)
    {
        if (CompletingReference(operation, task, collection, waits) is { } found)
        {
            return found;
        }

        switch (operation)
        {
            case IConditionalOperation conditional:
                return FindCompletionInExpression(conditional.Condition, task, collection, waits);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical:
                return FindCompletionInExpression(logical.LeftOperand, task, collection, waits);
            case ICoalesceOperation coalesce:
                return FindCompletionInExpression(coalesce.Value, task, collection, waits);
            case IConditionalAccessOperation access:
                return FindCompletionInExpression(access.Operation, task, collection, waits);
            case ISwitchExpressionOperation switchExpression:
                return FindCompletionInExpression(switchExpression.Value, task, collection, waits);
            case ICoalesceAssignmentOperation coalesceAssignment:
                return FindCompletionInExpression(coalesceAssignment.Target, task, collection, waits);
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
            case ILoopOperation:
            case ITryOperation:
            case ISwitchOperation:
                return null;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (FindCompletionInExpression(child, task, collection, waits) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>When <paramref name="operation"/> itself completes the task (await, or a wait without timeout), the reference to the task in it.</summary>
    private static IOperation? CompletingReference(IOperation operation, IOperation task, bool collection, TaskWaits waits)
    {
        if (operation is IAwaitOperation awaitOperation)
        {
            var awaited = TaskWaits.SkipConversions(awaitOperation.Operation);
            if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && waits.IsTaskLike(configure.TargetMethod.ContainingType))
            {
                awaited = TaskWaits.SkipConversions(configure.Instance);
            }

            return awaited is null ? null : ReferenceOrWhenAllElement(awaited, task, collection, waits);
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
                return wait.Tasks is null ? null : FindInCollection(wait.Tasks.Value, task, collection);
            default:
                var waited = TaskWaits.SkipConversions(wait.Task);
                return waited is null ? null : ReferenceOrWhenAllElement(waited, task, collection, waits);
        }
    }

    private static IOperation? ReferenceOrWhenAllElement(IOperation awaited, IOperation task, bool collection, TaskWaits waits)
    {
        if (!collection && IsSameVariable(awaited, task))
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
                    return FindInCollection(argument.Value, task, collection);
                }
            }
        }

        return null;
    }

    /// <summary>The element that references <paramref name="task"/> in an inline collection, or in the initializer of a local that holds one.</summary>
    private static IOperation? FindInCollection(IOperation tasks, IOperation task, bool collection)
    {
        if (collection)
        {
            return IsSameVariable(TaskWaits.SkipConversions(tasks), task) ? tasks : null;
        }

        var elements = TaskWaits.GetCollectionElements(tasks);
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
    /// <c>IsFaulted</c>, <c>IsCanceled</c>, <c>t.Status == TaskStatus.RanToCompletion</c> (or <c>Faulted</c>, <c>Canceled</c>), combined with <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>).
    /// </summary>
    private static IOperation? Implies(IOperation condition, IOperation task, bool whenTrue)
    {
        condition = TaskWaits.SkipConversions(condition) ?? condition;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Implies(not.Operand, task, !whenTrue);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction:
                // a && b is true: both are; it is false: at least one is, so both must say so.
                return whenTrue
                    ? Implies(conjunction.LeftOperand, task, true) ?? Implies(conjunction.RightOperand, task, true)
                    : Both(Implies(conjunction.LeftOperand, task, false), Implies(conjunction.RightOperand, task, false));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction:
                return whenTrue
                    ? Both(Implies(disjunction.LeftOperand, task, true), Implies(disjunction.RightOperand, task, true))
                    : Implies(disjunction.LeftOperand, task, false) ?? Implies(disjunction.RightOperand, task, false);
            case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled", Instance: { } instance }
                when whenTrue && IsSameReference(instance, task):
                return instance;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when whenTrue == (comparison.OperatorKind == BinaryOperatorKind.Equals):
                return FinalStatusCheck(comparison.LeftOperand, comparison.RightOperand, task)
                    ?? FinalStatusCheck(comparison.RightOperand, comparison.LeftOperand, task)
                    ?? EqualsWhenAnyResult(comparison.LeftOperand, comparison.RightOperand, task)
                    ?? EqualsWhenAnyResult(comparison.RightOperand, comparison.LeftOperand, task);
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: { } value } } pattern when whenTrue:
                return FinalStatusCheck(pattern.Value, value, task);
            default:
                return null;
        }
    }

    /// <summary><c>case TaskStatus.RanToCompletion:</c> (or Faulted, Canceled) in a <c>switch (t.Status)</c>.</summary>
    private static IOperation? StatusSwitchSection(ISwitchCaseOperation section, IOperation task)
    {
        if (section.Parent is not ISwitchOperation switchStatement || section.Clauses.IsEmpty)
        {
            return null;
        }

        IOperation? learnedAt = null;
        foreach (var clause in section.Clauses)
        {
            var value = clause switch
            {
                ISingleValueCaseClauseOperation single => single.Value,
                IPatternCaseClauseOperation { Guard: null, Pattern: IConstantPatternOperation constant } => constant.Value,
                _ => null,
            };
            learnedAt = value is null ? null : FinalStatusCheck(switchStatement.Value, value, task);
            if (learnedAt is null)
            {
                return null;
            }
        }

        return learnedAt;
    }

    /// <summary>
    /// <c>task == await Task.WhenAny(…)</c>, directly or through a local that holds the result: WhenAny hands
    /// back a completed task, so a task equal to it is complete.
    /// </summary>
    private static IOperation? EqualsWhenAnyResult(IOperation candidate, IOperation other, IOperation task)
    {
        if (!IsSameReference(candidate, task))
        {
            return null;
        }

        other = TaskWaits.SkipConversions(other) ?? other;
        if (other is ILocalReferenceOperation { Local: { IsRef: false } local } holder)
        {
            if (GetInitializer(local, holder) is not { } initializer || IsWrittenAnywhere(local, holder))
            {
                return null;
            }

            other = TaskWaits.SkipConversions(initializer) ?? initializer;
        }

        if (other is not IAwaitOperation awaitOperation)
        {
            return null;
        }

        var awaited = TaskWaits.SkipConversions(awaitOperation.Operation);
        if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure)
        {
            awaited = TaskWaits.SkipConversions(configure.Instance);
        }

        return awaited is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true, ContainingType.Name: "Task" } } ? candidate : null;
    }

    private static IOperation? Both(IOperation? left, IOperation? right) => left is not null && right is not null ? left : null;

    private static IOperation? FinalStatusCheck(IOperation status, IOperation value, IOperation task)
    {
        return TaskWaits.SkipConversions(status) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance }
            && TaskWaits.SkipConversions(value) is IFieldReferenceOperation { Field.Name: "RanToCompletion" or "Faulted" or "Canceled" }
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
            case IInvocationOperation or IConditionalOperation when DualPaths.IsSyncFlagCall(task):
                // Flush(async: false): the synchronous path of a dual-path body has finished before it returns.
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The task a <c>new ValueTask&lt;T&gt;(task)</c> wraps, seen through <c>Unsafe.As&lt;Task&lt;T&gt;&gt;(…)</c> (a reinterpreting cast of
    /// the same object); null for any other task.
    /// </summary>
    private static IOperation? TaskInsideValueTask(IOperation task, TaskWaits waits)
    {
        if (task is not IObjectCreationOperation { Constructor.Parameters.Length: 1, Arguments: { Length: 1 } arguments } creation
            || creation.Constructor.OriginalDefinition.Parameters[0].Type.TypeKind == TypeKind.TypeParameter
            || !waits.IsTaskLike(creation.Type)
            || creation.Type?.IsValueType != true
            || arguments[0].Value.Type is not { IsReferenceType: true } wrapped
            || !waits.IsTaskLike(wrapped))
        {
            return null;
        }

        var inner = SkipReferenceCasts(arguments[0].Value);
        if (inner is IInvocationOperation { TargetMethod: { Name: "As", IsStatic: true, ContainingType.Name: "Unsafe" }, Arguments.Length: 1 } cast)
        {
            inner = SkipReferenceCasts(cast.Arguments[0].Value);
        }

        return inner;
    }

    /// <summary>Casts that hand back the same object (<c>(Task&lt;T&gt;)task</c>), implicit or written.</summary>
    private static IOperation SkipReferenceCasts(IOperation operation)
    {
        while (operation is IConversionOperation { Conversion.IsReference: true } or IConversionOperation { Conversion.IsIdentity: true })
        {
            operation = ((IConversionOperation)operation).Operand;
        }

        return TaskWaits.SkipConversions(operation) ?? operation;
    }

    /// <summary>
    /// The task parameter of a completion callback: a local function that is only ever handed, as a delegate or a
    /// function pointer (<c>&amp;F</c>, possibly inside <c>new(…, &amp;F)</c>), to a call of the project's own code that also
    /// receives a task and awaits it in its body (<c>AwaitTask(task, new(this, &amp;SetResult))</c>), the shape of
    /// <c>ContinueWith</c> written by hand. The helper's body is only read for an <c>await</c> of that parameter; that it
    /// calls back after the await and with that task is trusted.
    /// </summary>
    private static bool IsCompletionCallbackTask(IOperation task, TaskWaits waits)
    {
        task = SkipReferenceCasts(task);
        if (task is not IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.LocalFunction } callback }
            || task.SemanticModel is not { } model
            || callback.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = callback.DeclaringSyntaxReferences[0].GetSyntax();
        if (declaration.SyntaxTree != model.SyntaxTree || declaration.Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } scope)
        {
            return false;
        }

        var handed = false;
        foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != callback.Name)
            {
                continue;
            }

            var info = model.GetSymbolInfo(name);
            var group = info.Symbol is null && info.CandidateSymbols.IsEmpty ? model.GetMemberGroup(name) : default;
            var symbol = info.Symbol
                ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null)
                ?? (!group.IsDefault && group.Length == 1 ? group[0] : null);
            if (!SymbolEqualityComparer.Default.Equals(symbol, callback))
            {
                continue;
            }

            if (!IsHandedToAwaitingHelper(name, model, waits))
            {
                return false;
            }

            handed = true;
        }

        return handed;
    }

    private static bool IsHandedToAwaitingHelper(SyntaxNode reference, SemanticModel model, TaskWaits waits)
    {
        for (var node = reference.Parent; node is PrefixUnaryExpressionSyntax or ArgumentSyntax or ArgumentListSyntax or BaseObjectCreationExpressionSyntax; node = node.Parent)
        {
            if (node is not ArgumentListSyntax { Parent: InvocationExpressionSyntax call })
            {
                continue;
            }

            if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol helper || helper.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            var body = helper.DeclaringSyntaxReferences[0].GetSyntax();
            foreach (var parameter in helper.Parameters)
            {
                if (waits.IsTaskLike(parameter.Type) && parameter.Ordinal < call.ArgumentList.Arguments.Count && AwaitsName(body, parameter.Name))
                {
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    /// <summary>Whether <paramref name="body"/> has <c>await name</c> or <c>await name.ConfigureAwait(…)</c>.</summary>
    private static bool AwaitsName(SyntaxNode body, string name)
    {
        foreach (var awaitExpression in body.DescendantNodes().OfType<AwaitExpressionSyntax>())
        {
            var awaited = awaitExpression.Expression;
            if (awaited is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } access })
            {
                awaited = access.Expression;
            }

            if (awaited is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
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
