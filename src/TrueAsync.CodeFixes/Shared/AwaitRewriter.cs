using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using TrueAsync.Analyzers.Blocking;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// The rewriting every fixer shares: a blocking call becomes <c>await</c> of its async counterpart, as
/// described by an <see cref="AsyncCounterpart"/> taken from <c>Diagnostic.Properties</c>.
/// </summary>
internal static class AwaitRewriter
{
    /// <summary>
    /// <c>await XAsync(args[, token])</c> for <paramref name="blocking"/>, parenthesised when the blocking call's
    /// result is used by a member access (<c>(await conn.QueryAsync&lt;T&gt;(sql)).ToList()</c>), with the receiver
    /// cast (<c>((DbCommand)cmd).ExecuteNonQueryAsync()</c>) or the type replaced (<c>Task.Delay(ms)</c>) as needed.
    /// Do not call it for <see cref="CounterpartKind.ForEachAsAsyncEnumerable"/>/<see cref="CounterpartKind.AsyncStream"/>
    /// (see <see cref="CreateAwaitForEach"/> and <see cref="ReplaceBlockingCall"/>).
    /// </summary>
    public static ExpressionSyntax CreateAwaitedCounterpart(InvocationExpressionSyntax blocking, AsyncCounterpart counterpart, ExpressionSyntax? token)
        => CreateAwaitedCounterpart(blocking, blocking, counterpart, token);

    /// <summary>
    /// <see cref="CreateAwaitedCounterpart(InvocationExpressionSyntax, AsyncCounterpart, ExpressionSyntax?)"/> for a call
    /// rewritten first (<paramref name="call"/>, detached), whose place in the tree is that of <paramref name="blocking"/>.
    /// </summary>
    public static ExpressionSyntax CreateAwaitedCounterpart(InvocationExpressionSyntax call, InvocationExpressionSyntax blocking, AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        ExpressionSyntax awaited = SyntaxFactory.AwaitExpression(CreateAsyncInvocation(call, counterpart, token).WithoutTrivia());
        if (counterpart.ResultCast is { } cast)
        {
            awaited = SyntaxFactory.CastExpression(ParseType(cast), awaited);
        }

        if (NeedsParentheses(blocking))
        {
            awaited = SyntaxFactory.ParenthesizedExpression(awaited);
        }

        return awaited.WithTriviaFrom(blocking).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The counterpart call itself, not awaited: <c>recv.XAsync(args[, token])</c>.</summary>
    public static InvocationExpressionSyntax CreateAsyncInvocation(InvocationExpressionSyntax blocking, AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        var expression = counterpart.Kind switch
        {
            CounterpartKind.StaticReplacement when counterpart.ReplacementType is { } type => SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                ParseType(type),
                SyntaxFactory.IdentifierName(counterpart.AsyncMember)),
            CounterpartKind.CastReceiver when counterpart.CastType is { } castType && blocking.Expression is MemberAccessExpressionSyntax access =>
                access.WithExpression(SyntaxFactory.ParenthesizedExpression(SyntaxFactory.CastExpression(ParseType(castType), access.Expression.WithoutTrivia())))
                      .WithName(Rename(access.Name, counterpart.AsyncMember)),
            _ => RenameInvoked(blocking.Expression, counterpart.AsyncMember),
        };

        var arguments = blocking.ArgumentList;
        var tokenArgument = CreateTokenArgument(counterpart, token);
        if (tokenArgument is not null)
        {
            arguments = arguments.AddArguments(tokenArgument);
        }

        return SyntaxFactory.InvocationExpression(expression, arguments);
    }

    /// <summary>
    /// Replaces <paramref name="blocking"/> in <paramref name="editor"/>: awaits the counterpart, turns
    /// <c>using var x = Begin()</c> into <c>await using var x = await BeginAsync()</c> where the result is
    /// <c>IAsyncDisposable</c> and C# 8 is available, makes a <c>foreach</c> over an async stream <c>await foreach</c>,
    /// and imports the counterpart's namespace.
    /// </summary>
    public static void ReplaceBlockingCall(SyntaxEditor editor, InvocationExpressionSyntax blocking, AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        if (counterpart.Kind == CounterpartKind.AsyncStream && blocking.Parent is ForEachStatementSyntax loop)
        {
            var stream = CreateAsyncInvocation(blocking, counterpart, token).WithTriviaFrom(blocking);
            editor.ReplaceNode(loop, loop.WithExpression(stream).WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        }
        else if (GetUsingToUpgrade(blocking, counterpart) is { } usingNode)
        {
            var awaited = CreateAwaitedCounterpart(blocking, counterpart, token);
            var updated = usingNode.ReplaceNode(blocking, awaited);
            var awaitKeyword = SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            SyntaxNode replacement = updated switch
            {
                LocalDeclarationStatementSyntax declaration => declaration
                    .WithAwaitKeyword(awaitKeyword.WithLeadingTrivia(declaration.UsingKeyword.LeadingTrivia))
                    .WithUsingKeyword(declaration.UsingKeyword.WithLeadingTrivia()),
                UsingStatementSyntax statement => statement
                    .WithAwaitKeyword(awaitKeyword.WithLeadingTrivia(statement.UsingKeyword.LeadingTrivia))
                    .WithUsingKeyword(statement.UsingKeyword.WithLeadingTrivia()),
                _ => updated,
            };
            editor.ReplaceNode(usingNode, replacement);
        }
        else
        {
            editor.ReplaceNode(blocking, CreateAwaitedCounterpart(blocking, counterpart, token));
        }

        AddImport(editor, counterpart.ImportNamespace);
    }

    /// <summary><c>await foreach (var x in query.AsAsyncEnumerable()[.WithCancellation(token)])</c>.</summary>
    public static ForEachStatementSyntax CreateAwaitForEach(ForEachStatementSyntax loop, AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        var collection = loop.Expression.WithoutTrivia();
        if (collection is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or ThisExpressionSyntax or GenericNameSyntax))
        {
            collection = SyntaxFactory.ParenthesizedExpression(collection);
        }

        ExpressionSyntax stream = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, collection, SyntaxFactory.IdentifierName(counterpart.AsyncMember)));
        if (token is not null && counterpart.Token == TokenPassing.WithCancellation)
        {
            stream = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, stream, SyntaxFactory.IdentifierName("WithCancellation")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(token))));
        }

        return loop
            .WithExpression(stream.WithTriviaFrom(loop.Expression))
            .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(loop.ForEachKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
            .WithForEachKeyword(loop.ForEachKeyword.WithLeadingTrivia());
    }

    /// <summary>Whether the value of <paramref name="expression"/> is used by a postfix/primary operator, so an <c>await</c> in its place needs parentheses.</summary>
    public static bool NeedsParentheses(ExpressionSyntax expression) => expression.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Expression == expression,
        ConditionalAccessExpressionSyntax conditional => conditional.Expression == expression,
        ElementAccessExpressionSyntax element => element.Expression == expression,
        InvocationExpressionSyntax invocation => invocation.Expression == expression,
        PostfixUnaryExpressionSyntax => true,
        _ => false,
    };

    /// <summary>Adds <c>using <paramref name="namespaceName"/>;</c> to the file unless it is already imported there.</summary>
    public static void AddImport(SyntaxEditor editor, string? namespaceName)
    {
        if (namespaceName is null || editor.OriginalRoot is not CompilationUnitSyntax unit)
        {
            return;
        }

        if (unit.Usings.Any(u => IsImport(u, namespaceName))
            || unit.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                .OfType<BaseNamespaceDeclarationSyntax>()
                .Any(n => n.Usings.Any(u => IsImport(u, namespaceName)) || n.Name.ToString() == namespaceName || n.Name.ToString().StartsWith(namespaceName + ".", System.StringComparison.Ordinal)))
        {
            return;
        }

        editor.ReplaceNode(unit, (current, _) =>
        {
            var currentUnit = (CompilationUnitSyntax)current;
            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(namespaceName)).WithAdditionalAnnotations(Formatter.Annotation);
            var usings = currentUnit.Usings;
            var index = 0;
            while (index < usings.Count && usings[index].Alias is null && usings[index].StaticKeyword.IsKind(SyntaxKind.None)
                && CompareImports(usings[index].Name?.ToString() ?? string.Empty, namespaceName) < 0)
            {
                index++;
            }

            if (usings.Count == 0)
            {
                directive = directive.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
            }

            return currentUnit.WithUsings(usings.Insert(index, directive));
        });
    }

    /// <summary>The usual order: System namespaces first, then ordinal.</summary>
    private static int CompareImports(string left, string right)
    {
        var leftSystem = left == "System" || left.StartsWith("System.", System.StringComparison.Ordinal);
        var rightSystem = right == "System" || right.StartsWith("System.", System.StringComparison.Ordinal);
        return leftSystem != rightSystem ? (leftSystem ? -1 : 1) : string.CompareOrdinal(left, right);
    }

    private static bool IsImport(UsingDirectiveSyntax directive, string namespaceName)
        => directive.Alias is null && directive.StaticKeyword.IsKind(SyntaxKind.None) && directive.Name?.ToString() == namespaceName;

    private static SyntaxNode? GetUsingToUpgrade(InvocationExpressionSyntax blocking, AsyncCounterpart counterpart)
    {
        if (!counterpart.ResultIsAsyncDisposable || !counterpart.AwaitForEachAllowed
            || blocking.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }
            || declaration.Variables.Count != 1)
        {
            return null;
        }

        return declaration.Parent switch
        {
            LocalDeclarationStatementSyntax local when local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) && local.AwaitKeyword.IsKind(SyntaxKind.None) => local,
            UsingStatementSyntax statement when statement.AwaitKeyword.IsKind(SyntaxKind.None) => statement,
            _ => null,
        };
    }

    private static ArgumentSyntax? CreateTokenArgument(AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        if (counterpart.Token is TokenPassing.None or TokenPassing.WithCancellation)
        {
            return null;
        }

        if (token is null)
        {
            if (!counterpart.TokenRequired)
            {
                return null;
            }

            token = SyntaxFactory.ParseExpression("global::System.Threading.CancellationToken.None").WithAdditionalAnnotations(Simplifier.Annotation);
        }

        var argument = SyntaxFactory.Argument(token);
        return counterpart.Token == TokenPassing.Named && counterpart.TokenParameterName is { } name
            ? argument.WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(name)))
            : argument;
    }

    private static ExpressionSyntax RenameInvoked(ExpressionSyntax invoked, string newName) => invoked switch
    {
        MemberAccessExpressionSyntax access => access.WithName(Rename(access.Name, newName)),
        MemberBindingExpressionSyntax binding => binding.WithName(Rename(binding.Name, newName)),
        SimpleNameSyntax name => Rename(name, newName),
        _ => invoked,
    };

    private static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName) => name switch
    {
        GenericNameSyntax generic => generic.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(generic.Identifier)),
        _ => SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(newName).WithTriviaFrom(name.Identifier)),
    };

    private static TypeSyntax ParseType(string fullyQualified)
        => SyntaxFactory.ParseTypeName(fullyQualified).WithAdditionalAnnotations(Simplifier.Annotation);
}
