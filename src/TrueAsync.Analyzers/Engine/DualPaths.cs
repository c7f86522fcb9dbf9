using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Engine;

/// <summary>
/// The dual-path idiom of libraries that offer a synchronous and an asynchronous API over one body
/// (docs/rules/TA0003.md, "What it leaves alone"): a flag chooses per call between <c>X(…)</c> and <c>await XAsync(…)</c>,
/// <c>var n = async ? await s.ReadAsync(b, ct) : s.Read(b);</c>, and the synchronous API calls the shared body with the
/// flag off and waits on the task it returns, <c>Flush(async: false).GetAwaiter().GetResult()</c>. The flag is a
/// <c>bool</c> parameter, local, field or property named for it (<c>async</c>, <c>isAsync</c>, <c>useAsync</c>,
/// <c>runAsynchronously</c>; or <c>sync</c>, <c>runSynchronously</c> for the other way round), or a value of an enum
/// whose members mean synchronous and asynchronous (<c>IOBehavior.Synchronous</c> / <c>IOBehavior.Asynchronous</c>).
/// <list type="bullet">
/// <item>The synchronous path is the synchronous API's own path: a blocking call there is that path's whole point, not fake
/// async (TA0003 is silent), and so is a wait there on a task the body started earlier (TA0002 is silent).</item>
/// <item>A task returned by a call that passes the flag as synchronous (a constant) has completed by the time the call
/// returns: waiting on it does not block (TA0002 is silent, see <see cref="KnownCompleteTasks"/>).</item>
/// </list>
/// The asynchronous path stays under every rule: a blocking call there, or a wait on a call that passes the flag as
/// asynchronous, is reported as anywhere else.
/// </summary>
internal static class DualPaths
{
    /// <summary>
    /// Whether <paramref name="site"/> runs only on the synchronous path of a dual-path body: in the branch of an
    /// <c>if</c> or a conditional expression that a flag test sends the synchronous way, or after
    /// <c>if (async) { …; return; }</c> in the same block. (A <c>switch</c> on the flag is not read.)
    /// </summary>
    public static bool IsOnSyncPath(IOperation site)
    {
        var child = site;
        for (var parent = site.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent.Kind)
            {
                case OperationKind.Conditional:
                    var conditional = (IConditionalOperation)parent;
                    if ((ReferenceEquals(child, conditional.WhenTrue) && FlagTest(conditional.Condition) == false)
                        || (ReferenceEquals(child, conditional.WhenFalse) && FlagTest(conditional.Condition) == true))
                    {
                        return true;
                    }

                    break;
                case OperationKind.Block when IsAfterAsyncExit((IBlockOperation)parent, child):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="task"/> is a call that passes a dual-path flag as a constant meaning synchronous
    /// (<c>false</c> to <c>async</c>, <c>true</c> to <c>sync</c>, <c>IOBehavior.Synchronous</c>): by the idiom's
    /// contract such a call has run to its end before it returns its task.
    /// </summary>
    public static bool IsSyncFlagCall(IOperation task)
    {
        if (task is IConditionalOperation { WhenTrue: { } whenTrue, WhenFalse: { } whenFalse })
        {
            // (schemaOnly ? NextSchemaOnly(false) : Next(false)): both sides synchronous.
            return IsSyncFlagCall(TaskWaits.SkipConversions(whenTrue) ?? whenTrue) && IsSyncFlagCall(TaskWaits.SkipConversions(whenFalse) ?? whenFalse);
        }

        if (task is not IInvocationOperation invocation)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            var value = argument.Value.ConstantValue;
            if (!value.HasValue)
            {
                continue;
            }

            if (parameter.Type.SpecialType == SpecialType.System_Boolean && value.Value is bool flag
                && FlagMeaning(parameter.Name) is { } meaning)
            {
                // async: false, or sync: true; a flag passed the other way makes the call asynchronous.
                return flag != meaning;
            }

            if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType && EnumMemberMeaning(enumType, value.Value) == false)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What <paramref name="condition"/> says when it is true: <c>true</c> the asynchronous path, <c>false</c> the
    /// synchronous one, null when it is not a flag test (<c>async</c>, <c>!async</c>, <c>behavior == IOBehavior.Synchronous</c>,
    /// <c>behavior is IOBehavior.Asynchronous</c>, <c>async &amp;&amp; other</c> is not one: its false side is not the sync path).
    /// </summary>
    private static bool? FlagTest(IOperation condition)
    {
        condition = TaskWaits.SkipConversions(condition) ?? condition;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return !FlagTest(not.Operand);
            case IParenthesizedOperation parenthesized:
                return FlagTest(parenthesized.Operand);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var equals = comparison.OperatorKind == BinaryOperatorKind.Equals;
                var said = EnumComparison(comparison.LeftOperand, comparison.RightOperand)
                    ?? EnumComparison(comparison.RightOperand, comparison.LeftOperand)
                    ?? BoolComparison(comparison.LeftOperand, comparison.RightOperand)
                    ?? BoolComparison(comparison.RightOperand, comparison.LeftOperand);
                return said is { } meaning ? meaning == equals : null;
            case IIsPatternOperation { Pattern: var pattern } isPattern:
                return PatternTest(isPattern.Value, pattern);
            default:
                return condition.Type?.SpecialType == SpecialType.System_Boolean ? FlagVariable(condition) : null;
        }
    }

    private static bool? PatternTest(IOperation value, IPatternOperation pattern)
        => pattern switch
        {
            IConstantPatternOperation constant => EnumComparison(value, constant.Value) ?? BoolComparison(value, constant.Value),
            INegatedPatternOperation negated => !PatternTest(value, negated.Pattern),
            _ => null,
        };

    /// <summary><c>flag == true</c>-style: what the comparison says when the operands are equal.</summary>
    private static bool? BoolComparison(IOperation flag, IOperation constant)
        => constant.ConstantValue is { HasValue: true, Value: bool value } && FlagVariable(TaskWaits.SkipConversions(flag) ?? flag) is { } meaning
            ? value == meaning
            : null;

    /// <summary><c>behavior == IOBehavior.Synchronous</c>: what the comparison says when the operands are equal.</summary>
    private static bool? EnumComparison(IOperation value, IOperation member)
    {
        value = TaskWaits.SkipConversions(value) ?? value;
        member = TaskWaits.SkipConversions(member) ?? member;
        return value.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType
            && IsVariable(value)
            && member is IFieldReferenceOperation { Field: { HasConstantValue: true } field }
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, enumType)
                ? NameMeaning(field.Name)
                : null;
    }

    /// <summary>A bool variable named as a dual-path flag: true when true means asynchronous.</summary>
    private static bool? FlagVariable(IOperation operation)
    {
        var name = operation switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            ILocalReferenceOperation local => local.Local.Name,
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property.Name,
            _ => null,
        };
        return name is null ? null : FlagMeaning(name);
    }

    private static bool IsVariable(IOperation operation)
        => operation is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation
            or IPropertyReferenceOperation { Arguments.Length: 0 };

    /// <summary>
    /// A <c>bool</c> flag's name: true for one that means asynchronous when true (<c>async</c>, <c>isAsync</c>,
    /// <c>_useAsync</c>, <c>runAsynchronously</c>), false for one that means synchronous (<c>sync</c>,
    /// <c>isSynchronous</c>, <c>runSynchronously</c>), null for any other name.
    /// </summary>
    private static bool? FlagMeaning(string name)
    {
        // Asked for every condition around every call in async code: reject the names that cannot be flags without allocating.
        if (!MayHaveMeaning(name))
        {
            return null;
        }

        var word = Normalize(name);
        foreach (var prefix in FlagPrefixes)
        {
            if (word.StartsWith(prefix, StringComparison.Ordinal) && NameMeaning(word.Substring(prefix.Length)) is { } meaning)
            {
                return meaning;
            }
        }

        return null;
    }

    private static readonly string[] FlagPrefixes = { "", "is", "use", "run", "do", "should", "execute", "perform" };

    /// <summary>An enum member or the end of a flag's name: <c>Asynchronous</c>/<c>Async</c> (true), <c>Synchronous</c>/<c>Sync</c>/<c>Blocking</c> (false).</summary>
    private static bool? NameMeaning(string name)
        => !MayHaveMeaning(name) ? null : Normalize(name) switch
        {
            "async" or "asynchronous" or "asynchronously" => true,
            "sync" or "synchronous" or "synchronously" or "blocking" => false,
            _ => null,
        };

    /// <summary>Every word <see cref="NameMeaning"/> knows contains "sync" or "blocking".</summary>
    private static bool MayHaveMeaning(string name)
        => name.IndexOf("sync", StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf("blocking", StringComparison.OrdinalIgnoreCase) >= 0;

    private static string Normalize(string name)
    {
        var start = name.StartsWith("m_", StringComparison.Ordinal) || name.StartsWith("s_", StringComparison.Ordinal) ? 2 : 0;
        while (start < name.Length && name[start] == '_')
        {
            start++;
        }

        return name.Substring(start).ToLowerInvariant();
    }

    /// <summary>The meaning of the member of <paramref name="enumType"/> whose value is <paramref name="value"/>.</summary>
    private static bool? EnumMemberMeaning(INamedTypeSymbol enumType, object? value)
    {
        bool? meaning = null;
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, value))
            {
                // Two names for one value must agree.
                var named = NameMeaning(field.Name);
                if (named is null || (meaning is not null && meaning != named))
                {
                    return null;
                }

                meaning = named;
            }
        }

        return meaning;
    }

    /// <summary>
    /// Whether <paramref name="child"/> follows, in <paramref name="block"/>, an <c>if</c> whose condition sends the
    /// asynchronous path into a branch that always leaves (<c>if (async) { await …; return; }</c>): what follows is the
    /// synchronous path.
    /// </summary>
    private static bool IsAfterAsyncExit(IBlockOperation block, IOperation child)
    {
        foreach (var statement in block.Operations)
        {
            if (ReferenceEquals(statement, child))
            {
                return false;
            }

            if (statement is IConditionalOperation { WhenFalse: null } conditional
                && FlagTest(conditional.Condition) == true
                && AlwaysLeaves(conditional.WhenTrue))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AlwaysLeaves(IOperation statement)
        => statement switch
        {
            IReturnOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBlockOperation { Operations: { Length: > 0 } operations } => AlwaysLeaves(operations[operations.Length - 1]),
            _ => false,
        };
}
