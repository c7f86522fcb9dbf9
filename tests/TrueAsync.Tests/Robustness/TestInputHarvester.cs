using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace TrueAsync.Tests.Robustness;

/// <summary>What the harvester found in one test file.</summary>
public sealed record HarvestedFile(string Path, int Inputs, int UnresolvedStrings, bool CallsAVerifier);

/// <summary>The C# inputs of the rule tests, with the markup removed.</summary>
public sealed record HarvestResult(ImmutableArray<RobustnessInput> Inputs, ImmutableArray<HarvestedFile> Files);

/// <summary>
/// Finds every C# source that the rule tests feed to the verifier, by reading the test files with
/// Roslyn: string literals (raw, verbatim, regular), constant concatenations and interpolations whose
/// parts are constants of the same test files (a shared prelude plus a test body). Strings that are not
/// C# (messages, titles) are dropped by parsing them. Markup is removed with the testing framework's own parser.
/// </summary>
public static class TestInputHarvester
{
    private static readonly Regex Declares = new(
        @"\b(class|struct|record|interface|enum|namespace)\s+[A-Za-z_]|\busing\s+[A-Za-z_][\w.]*\s*;|\b(void|Task|async)\b[^;]*[;{]",
        RegexOptions.CultureInvariant);

    public static HarvestResult Harvest(string rulesDirectory)
    {
        if (!Directory.Exists(rulesDirectory))
        {
            return new HarvestResult(ImmutableArray<RobustnessInput>.Empty, ImmutableArray<HarvestedFile>.Empty);
        }

        var paths = Directory.GetFiles(rulesDirectory, "*.cs", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        var trees = paths.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), path: p)).ToArray();
        var constants = new ConstantTable(trees);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inputs = ImmutableArray.CreateBuilder<RobustnessInput>();
        var files = ImmutableArray.CreateBuilder<HarvestedFile>();
        foreach (var tree in trees)
        {
            var root = tree.GetRoot();
            var fileName = Path.GetRelativePath(rulesDirectory, tree.FilePath).Replace('\\', '/');
            var found = 0;
            var unresolved = 0;
            foreach (var expression in CandidateExpressions(root))
            {
                var texts = new List<string>();
                var folded = constants.Fold(expression, tree, depth: 0);
                if (folded is not null)
                {
                    texts.Add(folded);
                }
                else
                {
                    // A concatenation with a part we cannot evaluate: its literal parts still count on their own.
                    unresolved++;
                    texts.AddRange(expression.DescendantNodesAndSelf()
                        .OfType<LiteralExpressionSyntax>()
                        .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression))
                        .Select(l => l.Token.ValueText));
                }

                foreach (var text in texts)
                {
                    var source = StripMarkup(text);
                    if (!LooksLikeCSharp(source) || !seen.Add(source))
                    {
                        continue;
                    }

                    var line = expression.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    inputs.Add(RobustnessInput.SingleFile($"{fileName}:{line} ({EnclosingMemberName(expression)})", InputOrigin.RuleTest, source));
                    found++;
                }
            }

            var callsVerifier = root.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Any(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name }
                          && name.StartsWith("Verify", StringComparison.Ordinal) && name.EndsWith("Async", StringComparison.Ordinal)
                       || i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RunAsync" });
            files.Add(new HarvestedFile(fileName, found, unresolved, callsVerifier));
        }

        return new HarvestResult(inputs.ToImmutable(), files.ToImmutable());
    }

    /// <summary>
    /// Removes the testing framework's markup: <c>[|…|]</c>, <c>{|ID:…|}</c>, <c>{|#0:…|}</c> and <c>$$</c>.
    /// Text the framework's parser rejects (unbalanced markup) is cleaned token by token instead.
    /// </summary>
    public static string StripMarkup(string text)
    {
        if (text.IndexOf("[|", StringComparison.Ordinal) < 0 && text.IndexOf("{|", StringComparison.Ordinal) < 0
            && text.IndexOf("$$", StringComparison.Ordinal) < 0)
        {
            return text;
        }

        try
        {
            TestFileMarkupParser.GetPositionsAndSpans(text, out var output, out ImmutableArray<int> _, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
            return output;
        }
        catch (ArgumentException)
        {
            return Regex.Replace(text, @"\{\|[^:{}|\s]*:|\|\}|\[\||\|\]|\$\$", string.Empty, RegexOptions.CultureInvariant);
        }
    }

    /// <summary>Whether a string from a test is a C# source rather than a message or a name.</summary>
    public static bool LooksLikeCSharp(string text)
    {
        if (text.Length < 8 || (text.IndexOf(';') < 0 && text.IndexOf('}') < 0))
        {
            return false;
        }

        var unit = SyntaxFactory.ParseCompilationUnit(text);
        if (unit.Members.Count == 0 && unit.Usings.Count == 0)
        {
            return false;
        }

        return !unit.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) || Declares.IsMatch(text);
    }

    /// <summary>String expressions that are not part of a larger string expression.</summary>
    private static IEnumerable<ExpressionSyntax> CandidateExpressions(SyntaxNode root)
    {
        foreach (var node in root.DescendantNodes())
        {
            if (node is not (LiteralExpressionSyntax or InterpolatedStringExpressionSyntax or BinaryExpressionSyntax))
            {
                continue;
            }

            var expression = (ExpressionSyntax)node;
            if (expression is LiteralExpressionSyntax literal && !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            if (expression is BinaryExpressionSyntax binary && (!binary.IsKind(SyntaxKind.AddExpression) || !ContainsString(binary)))
            {
                continue;
            }

            if (IsPartOfStringExpression(expression))
            {
                continue;
            }

            yield return expression;
        }
    }

    private static bool ContainsString(BinaryExpressionSyntax binary)
        => binary.DescendantNodes(n => n is BinaryExpressionSyntax or ParenthesizedExpressionSyntax)
            .Any(n => n is LiteralExpressionSyntax l && l.IsKind(SyntaxKind.StringLiteralExpression) || n is InterpolatedStringExpressionSyntax);

    private static bool IsPartOfStringExpression(ExpressionSyntax expression)
    {
        for (var parent = expression.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ParenthesizedExpressionSyntax:
                    continue;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                    return true;
                case InterpolationSyntax:
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    private static string EnclosingMemberName(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case MethodDeclarationSyntax method:
                    return method.Identifier.ValueText;
                case PropertyDeclarationSyntax property:
                    return property.Identifier.ValueText;
                case VariableDeclaratorSyntax variable:
                    return variable.Identifier.ValueText;
            }
        }

        return "?";
    }

    /// <summary>
    /// The strings a test can name: <c>const</c> and <c>static readonly</c> string fields, string
    /// properties with an expression body, and string locals. A name is resolved in the method that uses
    /// it first, then among the fields of the same file, then among the fields of every rule test file.
    /// </summary>
    private sealed class ConstantTable
    {
        private const int MaxDepth = 12;
        private readonly Dictionary<string, List<Entry>> _byName = new(StringComparer.Ordinal);

        public ConstantTable(IEnumerable<SyntaxTree> trees)
        {
            foreach (var tree in trees)
            {
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    switch (node)
                    {
                        case VariableDeclarationSyntax declaration when IsStringDeclaration(declaration, out var isLocal):
                            var member = isLocal ? EnclosingFunction(declaration) : null;
                            foreach (var variable in declaration.Variables)
                            {
                                if (variable.Initializer is { Value: var value })
                                {
                                    Add(variable.Identifier.ValueText, new Entry(tree, value, member));
                                }
                            }

                            break;
                        case PropertyDeclarationSyntax { ExpressionBody.Expression: var body } property when IsStringType(property.Type):
                            Add(property.Identifier.ValueText, new Entry(tree, body, null));
                            break;
                    }
                }
            }
        }

        private void Add(string name, Entry entry)
        {
            if (!_byName.TryGetValue(name, out var list))
            {
                _byName[name] = list = new List<Entry>();
            }

            list.Add(entry);
        }

        private static SyntaxNode? EnclosingFunction(SyntaxNode node)
            => node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax);

        private static bool IsStringType(TypeSyntax type)
            => type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.StringKeyword } || type is IdentifierNameSyntax { Identifier.ValueText: "String" };

        private static bool IsStringDeclaration(VariableDeclarationSyntax declaration, out bool isLocal)
        {
            isLocal = declaration.Parent is LocalDeclarationStatementSyntax;
            if (declaration.Parent is FieldDeclarationSyntax field)
            {
                var modifiers = field.Modifiers;
                var isConstant = modifiers.Any(SyntaxKind.ConstKeyword) || (modifiers.Any(SyntaxKind.StaticKeyword) && modifiers.Any(SyntaxKind.ReadOnlyKeyword));
                return isConstant && IsStringType(declaration.Type);
            }

            return isLocal && (IsStringType(declaration.Type) || declaration.Type.IsVar);
        }

        /// <summary>The value of a constant string expression, or null when a part is not a known constant.</summary>
        public string? Fold(ExpressionSyntax expression, SyntaxTree tree, int depth)
        {
            if (depth > MaxDepth)
            {
                return null;
            }

            switch (expression)
            {
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                    return literal.Token.ValueText;
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.CharacterLiteralExpression) || literal.IsKind(SyntaxKind.NumericLiteralExpression):
                    return literal.Token.ValueText;
                case ParenthesizedExpressionSyntax parenthesized:
                    return Fold(parenthesized.Expression, tree, depth + 1);
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                    var left = Fold(binary.Left, tree, depth + 1);
                    var right = left is null ? null : Fold(binary.Right, tree, depth + 1);
                    return right is null ? null : left + right;
                case InterpolatedStringExpressionSyntax interpolated:
                    return FoldInterpolation(interpolated, tree, depth);
                case IdentifierNameSyntax identifier:
                    return Lookup(identifier.Identifier.ValueText, identifier, tree, depth);
                case MemberAccessExpressionSyntax memberAccess:
                    return Lookup(memberAccess.Name.Identifier.ValueText, memberAccess, tree, depth);
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } nameOf
                    when nameOf.ArgumentList.Arguments.Count == 1:
                    return nameOf.ArgumentList.Arguments[0].Expression.DescendantTokens().LastOrDefault(t => t.IsKind(SyntaxKind.IdentifierToken)).ValueText;
                default:
                    return null;
            }
        }

        private string? FoldInterpolation(InterpolatedStringExpressionSyntax interpolated, SyntaxTree tree, int depth)
        {
            var builder = new StringBuilder();
            foreach (var content in interpolated.Contents)
            {
                switch (content)
                {
                    case InterpolatedStringTextSyntax text:
                        builder.Append(text.TextToken.ValueText);
                        break;
                    case InterpolationSyntax { AlignmentClause: null, FormatClause: null } hole:
                        var value = Fold(hole.Expression, tree, depth + 1);
                        if (value is null)
                        {
                            return null;
                        }

                        builder.Append(value);
                        break;
                    default:
                        return null;
                }
            }

            return builder.ToString();
        }

        private string? Lookup(string name, SyntaxNode reference, SyntaxTree tree, int depth)
        {
            if (!_byName.TryGetValue(name, out var candidates))
            {
                return null;
            }

            var function = reference is IdentifierNameSyntax ? EnclosingFunction(reference) : null;
            var levels = new[]
            {
                candidates.Where(c => c.Member is not null && c.Member == function && c.Value.SpanStart < reference.SpanStart),
                candidates.Where(c => c.Member is null && c.Tree == tree),
                candidates.Where(c => c.Member is null),
            };
            foreach (var level in levels)
            {
                var chosen = level.ToArray();
                if (chosen.Length == 1)
                {
                    return Fold(chosen[0].Value, chosen[0].Tree, depth + 1);
                }

                if (chosen.Length > 1)
                {
                    return null;
                }
            }

            return null;
        }

        private sealed record Entry(SyntaxTree Tree, ExpressionSyntax Value, SyntaxNode? Member);
    }
}
