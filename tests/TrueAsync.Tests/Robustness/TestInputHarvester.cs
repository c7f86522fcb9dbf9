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
/// Roslyn and evaluating their string expressions the way the test would at run time:
/// <list type="bullet">
/// <item>literals (raw, verbatim, regular), concatenations and interpolations;</item>
/// <item>names of <c>const</c>/<c>static readonly</c> string fields, expression-bodied string
/// properties and string locals of the rule test files;</item>
/// <item>calls of the test files' own helpers: a string helper (<c>Code(members)</c>) is evaluated with
/// its arguments, and a helper that passes its parameters on (<c>VerifyFixAsync(members, fixedMembers)</c>)
/// is evaluated once per call with those parameters bound;</item>
/// <item>theories: a method's body once per <c>[InlineData]</c> row, with its parameters bound.</item>
/// </list>
/// Strings that are not C# (messages, titles) are dropped by parsing them. Markup is removed with the
/// testing framework's own parser.
/// </summary>
public static class TestInputHarvester
{
    private const int MaxContexts = 20_000;

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
        var evaluator = new Evaluator(trees);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inputs = ImmutableArray.CreateBuilder<RobustnessInput>();
        var found = trees.ToDictionary(t => t, _ => 0);
        var unresolved = trees.ToDictionary(t => t, _ => 0);
        foreach (var (expression, text) in evaluator.Evaluate())
        {
            var tree = expression.SyntaxTree;
            if (text is null)
            {
                unresolved[tree]++;
                continue;
            }

            var source = StripMarkup(text);
            if (!LooksLikeCSharp(source) || !seen.Add(source))
            {
                continue;
            }

            var fileName = RelativeName(rulesDirectory, tree);
            var line = expression.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            inputs.Add(RobustnessInput.SingleFile($"{fileName}:{line} ({EnclosingMemberName(expression)})", InputOrigin.RuleTest, source));
            found[tree]++;
        }

        var files = trees.Select(t => new HarvestedFile(RelativeName(rulesDirectory, t), found[t], unresolved[t], CallsAVerifier(t.GetRoot()))).ToImmutableArray();
        return new HarvestResult(inputs.ToImmutable(), files);
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

    /// <summary>Whether a string from a test is a C# source rather than a message, a name or a fragment.</summary>
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

    private static string RelativeName(string directory, SyntaxTree tree) => Path.GetRelativePath(directory, tree.FilePath).Replace('\\', '/');

    private static bool CallsAVerifier(SyntaxNode root)
        => root.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name }
            && (name == "RunAsync" || (name.StartsWith("Verify", StringComparison.Ordinal) && name.EndsWith("Async", StringComparison.Ordinal))));

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
    /// Evaluates the string expressions of the test files in contexts: a context is a piece of code
    /// (a file, a theory method, a helper method) and the values bound to its parameters.
    /// </summary>
    private sealed class Evaluator
    {
        private const int MaxDepth = 16;
        private readonly SyntaxTree[] _trees;
        private readonly Dictionary<string, List<Entry>> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<MethodDeclarationSyntax>> _methods = new(StringComparer.Ordinal);

        public Evaluator(SyntaxTree[] trees)
        {
            _trees = trees;
            foreach (var tree in trees)
            {
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    switch (node)
                    {
                        case VariableDeclarationSyntax declaration when IsStringDeclaration(declaration, out var isLocal):
                            var function = isLocal ? EnclosingFunction(declaration) : null;
                            foreach (var variable in declaration.Variables)
                            {
                                if (variable.Initializer is { Value: var value })
                                {
                                    Add(_constants, variable.Identifier.ValueText, new Entry(value, function));
                                }
                            }

                            break;
                        case PropertyDeclarationSyntax { ExpressionBody.Expression: var body } property when IsStringType(property.Type):
                            Add(_constants, property.Identifier.ValueText, new Entry(body, null));
                            break;
                        case MethodDeclarationSyntax method:
                            Add(_methods, method.Identifier.ValueText, method);
                            break;
                    }
                }
            }
        }

        /// <summary>Every evaluated string expression: its value, or null when a part is unknown.</summary>
        public IEnumerable<(ExpressionSyntax Expression, string? Text)> Evaluate()
        {
            var queue = new Queue<(SyntaxNode Scope, ImmutableDictionary<string, string> Binding)>();
            var visited = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in _trees)
            {
                var root = tree.GetRoot();
                queue.Enqueue((root, ImmutableDictionary<string, string>.Empty));
                foreach (var theory in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
                {
                    foreach (var binding in InlineDataBindings(theory))
                    {
                        queue.Enqueue((theory, binding));
                    }
                }
            }

            while (queue.Count > 0 && visited.Count < MaxContexts)
            {
                var (scope, binding) = queue.Dequeue();
                if (!visited.Add(ContextKey(scope, binding)))
                {
                    continue;
                }

                foreach (var node in scope.DescendantNodes(n => n == scope || !IsOwnContext(n, binding)))
                {
                    if (node is InvocationExpressionSyntax invocation && Helper(invocation) is { } helper)
                    {
                        var calleeBinding = Bind(helper, invocation.ArgumentList, binding);
                        if (!calleeBinding.IsEmpty)
                        {
                            queue.Enqueue((helper, calleeBinding));
                        }
                    }

                    if (node is ExpressionSyntax expression && IsCandidate(expression, binding))
                    {
                        var text = Fold(expression, binding, 0);

                        // A helper's body with its parameters unknown: it is evaluated again at each call.
                        if (text is not null || !UsesUnboundParameter(expression, binding))
                        {
                            yield return (expression, text);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Theory methods are evaluated once per <c>[InlineData]</c> row instead of in the file's
        /// context, where their parameters are unknown.
        /// </summary>
        private static bool IsOwnContext(SyntaxNode node, ImmutableDictionary<string, string> binding)
            => binding.IsEmpty && node is MethodDeclarationSyntax method && HasInlineData(method);

        private static bool HasInlineData(MethodDeclarationSyntax method)
            => method.AttributeLists.SelectMany(l => l.Attributes).Any(a => AttributeName(a) == "InlineData");

        private static string AttributeName(AttributeSyntax attribute)
        {
            var name = attribute.Name is QualifiedNameSyntax qualified ? qualified.Right.Identifier.ValueText : attribute.Name.ToString();
            return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        private IEnumerable<ImmutableDictionary<string, string>> InlineDataBindings(MethodDeclarationSyntax method)
        {
            foreach (var attribute in method.AttributeLists.SelectMany(l => l.Attributes).Where(a => AttributeName(a) == "InlineData"))
            {
                var binding = ImmutableDictionary<string, string>.Empty;
                var arguments = attribute.ArgumentList?.Arguments ?? default;
                for (var i = 0; i < arguments.Count && i < method.ParameterList.Parameters.Count; i++)
                {
                    var value = Fold(arguments[i].Expression, ImmutableDictionary<string, string>.Empty, 0);
                    if (value is not null)
                    {
                        binding = binding.SetItem(method.ParameterList.Parameters[i].Identifier.ValueText, value);
                    }
                }

                // An empty row still gets its own context, so the theory's literals are evaluated once.
                yield return binding.IsEmpty ? binding.SetItem("\0row", attribute.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture)) : binding;
            }
        }

        private static string ContextKey(SyntaxNode scope, ImmutableDictionary<string, string> binding)
            => scope.SyntaxTree.FilePath + ":" + scope.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":"
               + string.Join("\u0001", binding.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

        /// <summary>
        /// A string expression to evaluate: not part of a larger one, and not an argument of one of the
        /// test files' own helpers (it is evaluated inside the helper, where it meets the rest of the source).
        /// </summary>
        private bool IsCandidate(ExpressionSyntax expression, ImmutableDictionary<string, string> binding)
        {
            var isString = expression switch
            {
                LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.StringLiteralExpression),
                InterpolatedStringExpressionSyntax => true,
                BinaryExpressionSyntax binary => binary.IsKind(SyntaxKind.AddExpression) && ContainsString(binary, binding),
                InvocationExpressionSyntax invocation => Helper(invocation) is { } helper && IsStringHelper(helper),
                IdentifierNameSyntax identifier => binding.ContainsKey(identifier.Identifier.ValueText) && IsPassedOn(identifier),
                _ => false,
            };
            if (!isString)
            {
                return false;
            }

            for (SyntaxNode? current = expression, parent = expression.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case ParenthesizedExpressionSyntax:
                        continue;
                    case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) && ContainsString(binary, binding):
                        return false;
                    case InterpolationSyntax:
                        return false;
                    case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Replace", Parent: InvocationExpressionSyntax }:
                        return false;
                    case ArgumentSyntax argument when argument.Parent?.Parent is InvocationExpressionSyntax call && Helper(call) is not null:
                        return false;
                    case AttributeArgumentSyntax:
                        // InlineData values are evaluated as the theory's parameters.
                        return current.Parent?.Parent?.Parent is not AttributeSyntax attribute || AttributeName(attribute) != "InlineData";
                    default:
                        return true;
                }
            }

            return true;
        }

        private static bool UsesUnboundParameter(ExpressionSyntax expression, ImmutableDictionary<string, string> binding)
        {
            var method = expression.Ancestors().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault();
            if (method is null)
            {
                return false;
            }

            var unbound = method.ParameterList.Parameters.Select(p => p.Identifier.ValueText).Where(n => !binding.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
            return expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => unbound.Contains(i.Identifier.ValueText));
        }

        /// <summary>A bound parameter that leaves the method as an argument or an assigned value.</summary>
        private static bool IsPassedOn(IdentifierNameSyntax identifier)
            => identifier.Parent is ArgumentSyntax or EqualsValueClauseSyntax or AssignmentExpressionSyntax or ArrowExpressionClauseSyntax or ReturnStatementSyntax;

        private bool ContainsString(BinaryExpressionSyntax binary, ImmutableDictionary<string, string> binding)
            => binary.DescendantNodes(n => n is BinaryExpressionSyntax or ParenthesizedExpressionSyntax).Any(n =>
                n is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                || n is InterpolatedStringExpressionSyntax
                || n is IdentifierNameSyntax identifier && (binding.ContainsKey(identifier.Identifier.ValueText) || _constants.ContainsKey(identifier.Identifier.ValueText))
                || n is InvocationExpressionSyntax invocation && Helper(invocation) is { } helper && IsStringHelper(helper));

        /// <summary>The test files' own method called here, when the name and argument count pick exactly one.</summary>
        private MethodDeclarationSyntax? Helper(InvocationExpressionSyntax invocation)
        {
            var name = invocation.Expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or ThisExpressionSyntax, Name: IdentifierNameSyntax simple } => simple.Identifier.ValueText,
                _ => null,
            };
            if (name is null || !_methods.TryGetValue(name, out var candidates))
            {
                return null;
            }

            // The nearest declaration wins: the same class, then the same file, then any rule test file.
            var count = invocation.ArgumentList.Arguments.Count;
            var type = invocation.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            var matching = candidates.Where(m => Accepts(m, count)).ToArray();
            foreach (var level in new[] { matching.Where(m => m.Parent == type), matching.Where(m => m.SyntaxTree == invocation.SyntaxTree), matching })
            {
                var chosen = level.Take(2).ToArray();
                if (chosen.Length > 0)
                {
                    return chosen.Length == 1 ? chosen[0] : null;
                }
            }

            return null;
        }

        private static bool Accepts(MethodDeclarationSyntax method, int count)
        {
            var parameters = method.ParameterList.Parameters;
            var required = parameters.Count(p => p.Default is null && !p.Modifiers.Any(SyntaxKind.ParamsKeyword));
            return count >= required && (count <= parameters.Count || parameters.Any(p => p.Modifiers.Any(SyntaxKind.ParamsKeyword)));
        }

        private static bool IsStringHelper(MethodDeclarationSyntax method) => IsStringType(method.ReturnType) && ReturnedExpression(method) is not null;

        private static ExpressionSyntax? ReturnedExpression(MethodDeclarationSyntax method)
            => method.ExpressionBody?.Expression
               ?? (method.Body is { Statements: [ReturnStatementSyntax { Expression: { } returned }] } ? returned : null);

        /// <summary>The values of the arguments that are known, bound to the helper's parameter names.</summary>
        private ImmutableDictionary<string, string> Bind(MethodDeclarationSyntax helper, ArgumentListSyntax arguments, ImmutableDictionary<string, string> binding)
        {
            var result = ImmutableDictionary<string, string>.Empty;
            var parameters = helper.ParameterList.Parameters;
            for (var i = 0; i < arguments.Arguments.Count; i++)
            {
                var argument = arguments.Arguments[i];
                var parameter = argument.NameColon is { } nameColon
                    ? parameters.FirstOrDefault(p => p.Identifier.ValueText == nameColon.Name.Identifier.ValueText)
                    : i < parameters.Count ? parameters[i] : null;
                if (parameter is null || parameter.Modifiers.Any(SyntaxKind.ParamsKeyword))
                {
                    continue;
                }

                var value = Fold(argument.Expression, binding, 0);
                if (value is not null)
                {
                    result = result.SetItem(parameter.Identifier.ValueText, value);
                }
            }

            return result;
        }

        /// <summary>The value of a string expression under <paramref name="binding"/>, or null when a part is unknown.</summary>
        private string? Fold(ExpressionSyntax expression, ImmutableDictionary<string, string> binding, int depth)
        {
            if (depth > MaxDepth)
            {
                return null;
            }

            switch (expression)
            {
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression)
                    || literal.IsKind(SyntaxKind.CharacterLiteralExpression) || literal.IsKind(SyntaxKind.NumericLiteralExpression):
                    return literal.Token.ValueText;
                case ParenthesizedExpressionSyntax parenthesized:
                    return Fold(parenthesized.Expression, binding, depth + 1);
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                    var left = Fold(binary.Left, binding, depth + 1);
                    var right = left is null ? null : Fold(binary.Right, binding, depth + 1);
                    return right is null ? null : left + right;
                case InterpolatedStringExpressionSyntax interpolated:
                    return FoldInterpolation(interpolated, binding, depth);
                case IdentifierNameSyntax identifier:
                    return binding.TryGetValue(identifier.Identifier.ValueText, out var bound)
                        ? bound
                        : Lookup(identifier.Identifier.ValueText, identifier, binding, depth);
                case MemberAccessExpressionSyntax memberAccess:
                    return Lookup(memberAccess.Name.Identifier.ValueText, memberAccess, binding, depth);
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } nameOf
                    when nameOf.ArgumentList.Arguments.Count == 1:
                    return nameOf.ArgumentList.Arguments[0].Expression.DescendantTokens().LastOrDefault(t => t.IsKind(SyntaxKind.IdentifierToken)).ValueText;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Replace" } replace, ArgumentList.Arguments: [var oldValue, var newValue] }:
                    var receiver = Fold(replace.Expression, binding, depth + 1);
                    var oldText = receiver is null ? null : Fold(oldValue.Expression, binding, depth + 1);
                    var newText = oldText is null ? null : Fold(newValue.Expression, binding, depth + 1);
                    return newText is null || oldText!.Length == 0 ? null : receiver!.Replace(oldText, newText, StringComparison.Ordinal);
                case InvocationExpressionSyntax invocation when Helper(invocation) is { } helper && IsStringHelper(helper):
                    var arguments = Bind(helper, invocation.ArgumentList, binding);
                    return Fold(ReturnedExpression(helper)!, arguments, depth + 1);
                default:
                    return null;
            }
        }

        private string? FoldInterpolation(InterpolatedStringExpressionSyntax interpolated, ImmutableDictionary<string, string> binding, int depth)
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
                        var value = Fold(hole.Expression, binding, depth + 1);
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

        /// <summary>
        /// A named string: a local of the same function first (evaluated under the same binding),
        /// then a field or property of the same file, then of any rule test file.
        /// </summary>
        private string? Lookup(string name, SyntaxNode reference, ImmutableDictionary<string, string> binding, int depth)
        {
            if (!_constants.TryGetValue(name, out var candidates))
            {
                return null;
            }

            var function = reference is IdentifierNameSyntax ? EnclosingFunction(reference) : null;
            var locals = candidates.Where(c => c.Function is not null && c.Function == function && c.Value.SpanStart < reference.SpanStart).ToArray();
            if (locals.Length > 0)
            {
                // The declaration nearest above the use.
                return Fold(locals.OrderBy(c => c.Value.SpanStart).Last().Value, binding, depth + 1);
            }

            var empty = ImmutableDictionary<string, string>.Empty;
            foreach (var level in new[] { candidates.Where(c => c.Function is null && c.Value.SyntaxTree == reference.SyntaxTree), candidates.Where(c => c.Function is null) })
            {
                var chosen = level.ToArray();
                if (chosen.Length == 1)
                {
                    return Fold(chosen[0].Value, empty, depth + 1);
                }

                if (chosen.Length > 1)
                {
                    return null;
                }
            }

            return null;
        }

        private static void Add<T>(Dictionary<string, List<T>> table, string name, T item)
        {
            if (!table.TryGetValue(name, out var list))
            {
                table[name] = list = new List<T>();
            }

            list.Add(item);
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

        private sealed record Entry(ExpressionSyntax Value, SyntaxNode? Function);
    }
}
