using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// A blocking call that initialises a local while its counterpart returns a derived type
/// (<c>IDbCommand.ExecuteReader()</c> returns <c>IDataReader</c>, <c>DbCommand.ExecuteReaderAsync()</c> a <c>DbDataReader</c>).
/// </summary>
internal sealed partial class BlockingCallModel
{
    /// <summary>
    /// With an explicit type the awaited value converts to it, and <c>using</c> may become <c>await using</c> only if that
    /// declared type is <c>IAsyncDisposable</c>. With <c>var</c> the local takes the counterpart's type
    /// (<c>var reader</c> becomes a <c>DbDataReader</c>, whose members are a superset of <c>IDataReader</c>'s, so its reads
    /// keep compiling); that is kept only when nothing else is ever stored in the local and it does not meet a value of
    /// the old type where the two must have a common type (<c>c ? reader : other</c>, <c>new[] { reader, other }</c>).
    /// </summary>
    private bool IsDeclarationCompatible(IInvocationOperation invocation, AsyncCounterpart counterpart)
    {
        if (invocation.Syntax.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } declarator }
            || invocation.SemanticModel is not { } model
            || model.GetDeclaredSymbol(declarator) is not ILocalSymbol local)
        {
            return false;
        }

        if (!declaration.Type.IsVar)
        {
            counterpart.ResultIsAsyncDisposable = ImplementsAsyncDisposable(local.Type);
            return true;
        }

        var scope = declaration.FirstAncestorOrSelf<SyntaxNode>(n => n is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax or ArrowExpressionClauseSyntax)
            ?? declaration.Parent;
        if (scope is GlobalStatementSyntax)
        {
            // A top-level local is visible in every top-level statement of the file.
            scope = scope.Parent;
        }

        if (scope is null)
        {
            return false;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
                && IsWriteOrTypeMeeting(name)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWriteOrTypeMeeting(IdentifierNameSyntax name)
    {
        SyntaxNode expression = name;
        while (expression.Parent is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            expression = expression.Parent;
        }

        return expression.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == expression,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword)
                || argument.Parent is TupleExpressionSyntax,
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or RefExpressionSyntax => true,
            ConditionalExpressionSyntax conditional => conditional.Condition != expression,
            BinaryExpressionSyntax binary => binary.IsKind(SyntaxKind.CoalesceExpression),
            InitializerExpressionSyntax initializer => initializer.IsKind(SyntaxKind.ArrayInitializerExpression),
            SwitchExpressionArmSyntax arm => arm.Expression == expression,
            _ => expression.Parent?.IsKind(SyntaxKind.CollectionExpression) == true
                || expression.Parent?.Parent?.IsKind(SyntaxKind.CollectionExpression) == true,
        };
    }
}
