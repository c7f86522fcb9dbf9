using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers.Shared;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>The outcome of making one method async: the new solution and what changed.</summary>
internal sealed class MakeMethodAsyncResult
{
    public MakeMethodAsyncResult(Solution solution, string oldName, string newName, int callers, int synchronousCallers)
    {
        Solution = solution;
        OldName = oldName;
        NewName = newName;
        Callers = callers;
        SynchronousCallers = synchronousCallers;
    }

    public Solution Solution { get; }

    public string OldName { get; }

    public string NewName { get; }

    public int Callers { get; }

    /// <summary>The synchronous methods made async with it, up to async callers or entry points.</summary>
    public int SynchronousCallers { get; }
}

/// <summary>
/// Makes a synchronous method that blocks on tasks async: <c>T M(…)</c> becomes <c>async Task&lt;T&gt; MAsync(…)</c>
/// (<c>void</c> becomes <c>Task</c>), its waits become <c>await</c>, and every caller in the solution awaits it; synchronous
/// callers are converted with it, up to async callers and entry points; an interface member changes with all its
/// implementations in the solution. Refuses (returns null) whenever the result might not compile or might change meaning: a
/// caller in a synchronous lambda other than a minimal-API route handler, a method group or other non-call use, a signature
/// bound by an override, event or an interface outside the solution, ref/out parameters, a public API of a published
/// library, an implementation with nothing to await, ...
/// </summary>
internal static class MakeMethodAsyncConversion
{
    private const string TaskType = "global::System.Threading.Tasks.Task";
    private const string TasksNamespace = "System.Threading.Tasks";

    /// <summary>Marks a wrapper over its async twin for removal once its callers await the twin.</summary>
    private static readonly SyntaxAnnotation RemovedWrapper = new("TrueAsync.RemovedWrapper");

    /// <summary>How many methods one conversion may change (the target and its synchronous callers, transitively).</summary>
    private const int MaxMethods = 64;

    /// <summary>
    /// Converts <paramref name="declaration"/>, or returns null when that is not safe. When <paramref name="requiredWait"/> is
    /// given, that wait must be one of those rewritten to <c>await</c>. Without <paramref name="verifyCompiles"/> only what
    /// the light bulb asks before it offers the action is checked: the method, its callers and theirs (reference searches
    /// and local checks); the rewritten solution and its compilation come when it is applied (the result then carries the
    /// unchanged solution).
    /// <para>
    /// A caller in a synchronous method is converted with it, transitively, up to callers that are async already, top-level
    /// statements, or entry points, which become async under their own name: the program's <c>Main</c>
    /// (<c>static async Task Main</c>), test methods (<c>[Fact]</c>, <c>[Theory]</c>, <c>[Test]</c>, <c>[TestCase]</c>,
    /// <c>[TestMethod]</c>, <c>[DataTestMethod]</c>), controller actions, and minimal-API route handler lambdas
    /// (<see cref="RouteHandlers"/>). A method that implements an interface member brings the member and its other
    /// implementations along. Every method on the way passes the same checks as the target; one that fails (an override,
    /// a published library's public method, a caller in another lambda, …) stops the whole conversion.
    /// </para>
    /// </summary>
    public static async Task<MakeMethodAsyncResult?> TryConvertAsync(
        Document document,
        MethodDeclarationSyntax declaration,
        TextSpan? requiredWait,
        CancellationToken cancellationToken,
        bool verifyCompiles = true)
    {
        var solution = document.Project.Solution;
        var edits = new Dictionary<DocumentId, AsyncFunctionRewriter>();
        var converted = new HashSet<(DocumentId, TextSpan)> { (document.Id, declaration.Span) };
        var pending = new Queue<(Document Document, MethodDeclarationSyntax Declaration)>();
        pending.Enqueue((document, declaration));
        var declaring = new HashSet<DocumentId>();
        var state = new ConversionState();
        var callers = 0;
        string? oldName = null;
        string? targetName = null;
        while (pending.Count > 0)
        {
            var (current, currentDeclaration) = pending.Dequeue();
            var isTarget = oldName is null;
            var documentEdits = EditsOf(edits, current.Id);
            var key = (current.Id, currentDeclaration.Span);
            var isInterfaceMember = currentDeclaration.Parent is InterfaceDeclarationSyntax;
            var plan = isInterfaceMember
                ? await PlanInterfaceMemberAsync(current, currentDeclaration, cancellationToken).ConfigureAwait(false)
                : await PlanLocalAsync(current, currentDeclaration, documentEdits, isTarget ? requiredWait : null, requireWait: isTarget, cancellationToken).ConfigureAwait(false);
            if (plan is not var (method, newName, hasAwait, removesWrapper))
            {
                return null;
            }

            declaring.Add(current.Id);
            if (isTarget)
            {
                oldName = method.Name;
                targetName = newName;
            }

            if (removesWrapper)
            {
                state.Wrappers.Add(key);
            }

            if (!isInterfaceMember)
            {
                state.Bodies.Add(key);
                if (hasAwait)
                {
                    state.Awaiting.Add(key);
                }
            }

            // An interface member changes with every implementation in the solution, and an implementation with its
            // interface member, or none of them does.
            if (await InterfaceRelativesAsync(method, solution, cancellationToken).ConfigureAwait(false) is not { } relatives)
            {
                return null;
            }

            foreach (var (relativeDocument, relativeDeclaration) in relatives)
            {
                if (converted.Add((relativeDocument.Id, relativeDeclaration.Span)))
                {
                    if (converted.Count > MaxMethods)
                    {
                        return null;
                    }

                    pending.Enqueue((relativeDocument, relativeDeclaration));
                }
            }

            var references = await SymbolFinder.FindReferencesAsync(method, solution, cancellationToken).ConfigureAwait(false);
            foreach (var location in references.SelectMany(r => r.Locations))
            {
                if (location.IsImplicit
                    || location.Document.Project.Language != LanguageNames.CSharp
                    || solution.GetDocument(location.Document.Id) is null)
                {
                    return null;
                }

                // Find References cascades between an interface member and its implementations: each place is planned once.
                if (!state.References.Add((location.Document.Id, location.Location.SourceSpan)))
                {
                    continue;
                }

                var (reference, syncCaller) = await PlanReferenceAsync(EditsOf(edits, location.Document.Id), location, converted, state, newName, cancellationToken).ConfigureAwait(false);
                if (reference == ReferenceKind.Unsupported
                    || location.IsCandidateLocation && reference != ReferenceKind.RenameOnly)
                {
                    return null;
                }

                if (syncCaller is not null && converted.Add((location.Document.Id, syncCaller.Span)))
                {
                    if (converted.Count > MaxMethods)
                    {
                        return null;
                    }

                    pending.Enqueue((solution.GetDocument(location.Document.Id)!, syncCaller));
                }

                callers += reference == ReferenceKind.Call ? 1 : 0;
            }

            var returnTypeSyntax = currentDeclaration.ReturnType;
            var taskOf = method.ReturnsVoid ? TaskType : TaskType + "<" + returnTypeSyntax.WithoutTrivia().ToString() + ">";
            documentEdits.Add(currentDeclaration, node =>
            {
                if (removesWrapper)
                {
                    // Its callers await the twin now: the wrapper goes (RemoveWrappers).
                    return node.WithAdditionalAnnotations(RemovedWrapper);
                }

                if (node is not MethodDeclarationSyntax rewritten)
                {
                    return node;
                }

                var newReturnType = SyntaxFactory.ParseTypeName(taskOf).WithTriviaFrom(rewritten.ReturnType).WithAdditionalAnnotations(Simplifier.Annotation);
                rewritten = rewritten
                    .WithReturnType(newReturnType)
                    .WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(rewritten.Identifier));
                return isInterfaceMember ? rewritten : AsyncFunctionRewriter.AddAsyncModifier(rewritten);
            });
        }

        // Every method made async awaits something: an implementation with nothing to await would compile with a
        // warning (CS1998) and run synchronously behind its new signature.
        if (!state.Bodies.All(state.Awaiting.Contains))
        {
            return null;
        }

        if (!verifyCompiles)
        {
            return new MakeMethodAsyncResult(solution, oldName!, targetName!, callers, state.Bodies.Count - 1 + state.Handlers);
        }

        var newSolution = solution;
        foreach (var pair in edits)
        {
            var editedDocument = newSolution.GetDocument(pair.Key);
            var root = editedDocument is null ? null : await editedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return null;
            }

            var newRoot = RemoveWrappers(pair.Value.Apply(root));
            if (declaring.Contains(pair.Key))
            {
                var editor = await DocumentEditor.CreateAsync(editedDocument!.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
                AwaitRewriter.AddImport(editor, TasksNamespace);
                newRoot = editor.GetChangedRoot();
            }

            newSolution = newSolution.WithDocumentSyntaxRoot(pair.Key, newRoot);
        }

        if (!await ConversionChecks.CompilesAsWellAsync(solution, newSolution, edits.Keys, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new MakeMethodAsyncResult(newSolution, oldName!, targetName!, callers, state.Bodies.Count - 1 + state.Handlers);
    }

    private static AsyncFunctionRewriter EditsOf(Dictionary<DocumentId, AsyncFunctionRewriter> edits, DocumentId document)
    {
        if (!edits.TryGetValue(document, out var documentEdits))
        {
            documentEdits = new AsyncFunctionRewriter();
            edits.Add(document, documentEdits);
        }

        return documentEdits;
    }

    /// <summary>What a conversion has planned so far, beyond its edits.</summary>
    private sealed class ConversionState
    {
        /// <summary>The reference locations already planned (Find References cascades between interface and implementation).</summary>
        public HashSet<(DocumentId, TextSpan)> References { get; } = new();

        /// <summary>The methods whose bodies become async.</summary>
        public HashSet<(DocumentId, TextSpan)> Bodies { get; } = new();

        /// <summary>The methods with an <c>await</c> planned in their body (a wait, or a call to a converted method).</summary>
        public HashSet<(DocumentId, TextSpan)> Awaiting { get; } = new();

        /// <summary>The synchronous wrappers over an async twin that are removed (<see cref="WaitsOnExistingTwin"/>).</summary>
        public HashSet<(DocumentId, TextSpan)> Wrappers { get; } = new();

        /// <summary>The minimal-API route handlers made async.</summary>
        public HashSet<(DocumentId, TextSpan)> HandlerLambdas { get; } = new();

        public int Handlers => HandlerLambdas.Count;
    }

    /// <summary>
    /// An interface member to convert with its implementations: its return type and name change, nothing else. Null when
    /// it cannot: a body (a default implementation), a static member, a signature that cannot become async, the name taken,
    /// or an interface of a library that may be published (its implementations elsewhere would break).
    /// </summary>
    private static async Task<(IMethodSymbol Method, string NewName, bool HasAwait, bool RemovesWrapper)?> PlanInterfaceMemberAsync(
        Document document,
        MethodDeclarationSyntax declaration,
        CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not { ContainingType.TypeKind: TypeKind.Interface } method
            || declaration.Body is not null || declaration.ExpressionBody is not null
            || method.IsStatic || !method.IsAbstract || method.IsAsync
            || method.ReturnsByRef || method.ReturnsByRefReadonly
            || !method.ReturnsVoid && (ConversionChecks.IsAwaitable(method.ReturnType) || method.ReturnType.IsRefLikeType || method.ReturnType.TypeKind == TypeKind.Pointer)
            || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType || p.Type.TypeKind == TypeKind.Pointer)
            || ConversionChecks.IsPublishedApi(method, document.Project)
            || declaration.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp5 })
        {
            return null;
        }

        var newName = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name : method.Name + "Async";
        if (newName != method.Name
            && (!method.ContainingType.GetMembers(newName).IsEmpty || method.ContainingType.AllInterfaces.Any(i => !i.GetMembers(newName).IsEmpty)))
        {
            return null;
        }

        return (method, newName, false, false);
    }

    /// <summary>
    /// The declarations that change together with <paramref name="method"/>: for an interface member, its implementations in
    /// the solution; for a class method, the interface members it implements. Null when one of them is not a method
    /// declaration in the solution (an interface of a referenced library, an implementation in metadata).
    /// </summary>
    private static async Task<List<(Document Document, MethodDeclarationSyntax Declaration)>?> InterfaceRelativesAsync(
        IMethodSymbol method,
        Solution solution,
        CancellationToken cancellationToken)
    {
        var symbols = new List<ISymbol>();
        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            symbols.AddRange(await SymbolFinder.FindImplementationsAsync(method, solution, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        else
        {
            foreach (var implemented in method.ContainingType.AllInterfaces)
            {
                foreach (var member in implemented.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                    {
                        symbols.Add(member.OriginalDefinition);
                    }
                }
            }
        }

        var relatives = new List<(Document, MethodDeclarationSyntax)>();
        foreach (var symbol in symbols)
        {
            if (symbol.DeclaringSyntaxReferences.Length != 1
                || await symbol.DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not MethodDeclarationSyntax declaration
                || solution.GetDocument(declaration.SyntaxTree) is not { } document)
            {
                return null;
            }

            relatives.Add((document, declaration));
        }

        return relatives;
    }

    /// <summary>
    /// The checks that need only the method's own document, and its planned waits (into <paramref name="edits"/>). Null
    /// when the method cannot become async whatever its callers are. The target must have a wait to await
    /// (<paramref name="requireWait"/>); a caller converted with it need not.
    /// </summary>
    private static async Task<(IMethodSymbol Method, string NewName, bool HasAwait, bool RemovesWrapper)?> PlanLocalAsync(
        Document document,
        MethodDeclarationSyntax declaration,
        AsyncFunctionRewriter edits,
        TextSpan? requiredWait,
        bool requireWait,
        CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null
            || declaration.Body is null && declaration.ExpressionBody is null
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } method
            || TaskWaits.Create(model.Compilation) is not { } waits)
        {
            return null;
        }

        var entryPoint = IsEntryPoint(method, model.Compilation, cancellationToken);
        if (entryPoint ? !CanEntryPointBecomeAsync(method) : !CanChangeSignature(method, declaration, document.Project))
        {
            return null;
        }

        var newName = entryPoint || method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name : method.Name + "Async";
        if (newName != method.Name && ConversionChecks.HasMemberNamed(method.ContainingType, newName))
        {
            // void Initialize() => InitializeAsync().GetAwaiter().GetResult(): the async version is written already.
            return !ImplementsInterfaceMember(method)
                && WaitsOnExistingTwin(method, declaration, model, waits, newName, requiredWait, cancellationToken)
                    ? (method, newName, true, true)
                    : null;
        }

        if (model.GetOperation(declaration, cancellationToken) is not { } body || !CanBodyBecomeAsync(declaration, body)
            || AwaitPlacement.IsInUnsafeContext(declaration))
        {
            return null;
        }

        var planned = PlanWaits(edits, body, waits, requiredWait);
        return planned || !requireWait && requiredWait is null ? (method, newName, planned, false) : null;
    }

    /// <summary>
    /// Whether <paramref name="method"/> only waits on its async twin <paramref name="twinName"/>, already written in the
    /// same type, passing its own parameters on in order (<c>void Initialize() =&gt; InitializeAsync().GetAwaiter().GetResult();</c>).
    /// Making it async then means moving its callers to the twin and removing the wrapper, which is what converting it
    /// under the twin's name would give (docs/rules/TA0002.md, "A wrapper over its async twin").
    /// </summary>
    private static bool WaitsOnExistingTwin(
        IMethodSymbol method,
        MethodDeclarationSyntax declaration,
        SemanticModel model,
        TaskWaits waits,
        string twinName,
        TextSpan? requiredWait,
        CancellationToken cancellationToken)
    {
        var expression = declaration.ExpressionBody?.Expression
            ?? (declaration.Body is { Statements.Count: 1 } body
                ? body.Statements[0] switch
                {
                    ReturnStatementSyntax { Expression: { } returned } => returned,
                    ExpressionStatementSyntax statement => statement.Expression,
                    _ => null,
                }
                : null);
        if (expression is null
            || model.GetOperation(expression, cancellationToken) is not { } operation
            || waits.TryGetWait(operation) is not { Task: IInvocationOperation { TargetMethod: var twin } call } wait
            || wait.HasTimeoutOrToken
            || requiredWait is { } required && required != wait.Operation.Syntax.Span
            || twin.Name != twinName
            || !SymbolEqualityComparer.Default.Equals(twin.ContainingType, method.ContainingType)
            || twin.IsStatic != method.IsStatic
            || call.Instance is not (null or IInstanceReferenceOperation)
            || twin.IsGenericMethod || method.IsGenericMethod
            || twin.DeclaredAccessibility != method.DeclaredAccessibility && twin.DeclaredAccessibility != Accessibility.Public
            || twin.Parameters.Length < method.Parameters.Length
            || call.Arguments.Length != twin.Parameters.Length)
        {
            return false;
        }

        // What the wrapper returned is what awaiting the twin gives.
        if (method.ReturnsVoid ? wait.Operation.Type is { SpecialType: not SpecialType.System_Void } : !SymbolEqualityComparer.Default.Equals(wait.Operation.Type, method.ReturnType))
        {
            return false;
        }

        // Each of the wrapper's parameters goes, unchanged, to the twin's parameter in the same place; the twin's others
        // (a trailing CancellationToken) keep their defaults.
        foreach (var argument in call.Arguments)
        {
            var ordinal = argument.Parameter?.Ordinal ?? -1;
            var passesParameter = ordinal >= 0 && ordinal < method.Parameters.Length
                && argument.ArgumentKind == ArgumentKind.Explicit
                && argument.Value is IParameterReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Parameter, method.Parameters[ordinal])
                && SymbolEqualityComparer.Default.Equals(argument.Parameter!.Type, method.Parameters[ordinal].Type);
            if (!(passesParameter || ordinal >= method.Parameters.Length && argument.ArgumentKind == ArgumentKind.DefaultValue))
            {
                return false;
            }
        }

        // A twin that calls the wrapper would, once the wrapper's callers await the twin, call itself.
        foreach (var reference in twin.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken).DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == method.Name))
            {
                return false;
            }
        }

        return !twin.DeclaringSyntaxReferences.IsEmpty;
    }

    private static SyntaxNode RemoveWrappers(SyntaxNode root)
    {
        var wrappers = root.GetAnnotatedNodes(RemovedWrapper).ToArray();
        return wrappers.Length == 0 ? root : root.RemoveNodes(wrappers, SyntaxRemoveOptions.KeepNoTrivia) ?? root;
    }

    /// <summary>
    /// Where a conversion stops going up: the program's <c>Main</c>, test methods, and ASP.NET Core controller actions and
    /// Razor Pages handlers, which their frameworks await when they return a task. They keep their name: routes,
    /// <c>nameof(Action)</c> in <c>CreatedAtAction</c> and handler names stay as they are.
    /// </summary>
    private static bool IsEntryPoint(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        if (method.IsStatic && method.Name == "Main")
        {
            return SymbolEqualityComparer.Default.Equals(compilation.GetEntryPoint(cancellationToken), method);
        }

        if (!method.IsStatic && method.DeclaredAccessibility == Accessibility.Public && IsControllerOrPageModel(method.ContainingType))
        {
            return true;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "FactAttribute" or "TheoryAttribute" or "TestAttribute" or "TestCaseAttribute"
                or "TestMethodAttribute" or "DataTestMethodAttribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A type ASP.NET Core treats as a controller (<c>ControllerBase</c>, <c>[ApiController]</c>, <c>[Controller]</c>) or a Razor page model.</summary>
    private static bool IsControllerOrPageModel(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "ControllerBase" or "PageModel"
                && current.ContainingNamespace?.ToDisplayString() is "Microsoft.AspNetCore.Mvc" or "Microsoft.AspNetCore.Mvc.RazorPages")
            {
                return true;
            }

            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "ApiControllerAttribute" or "ControllerAttribute" } attributeClass
                    && attributeClass.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Mvc")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// An entry point becomes <c>async Task</c> or <c>async Task&lt;T&gt;</c> (<c>Main</c>: <c>void</c> or an <c>int</c> exit
    /// code only); nothing else about it changes.
    /// </summary>
    private static bool CanEntryPointBecomeAsync(IMethodSymbol method)
        => !method.IsAsync && !method.IsAbstract && !method.IsVirtual && !method.IsOverride && !method.IsExtern
            && method.PartialDefinitionPart is null && method.PartialImplementationPart is null
            && method.ExplicitInterfaceImplementations.IsEmpty && !ImplementsInterfaceMember(method)
            && !method.ReturnsByRef && !method.ReturnsByRefReadonly
            && (method.Name == "Main"
                ? method.ReturnsVoid || method.ReturnType.SpecialType == SpecialType.System_Int32
                : method.ReturnsVoid || !ConversionChecks.IsAwaitable(method.ReturnType) && !method.ReturnType.IsRefLikeType && method.ReturnType.TypeKind != TypeKind.Pointer)
            && method.Parameters.All(p => p.RefKind == RefKind.None && !p.Type.IsRefLikeType && p.Type.TypeKind != TypeKind.Pointer);

    /// <summary>Signature checks: what may change its return type and name without breaking a contract.</summary>
    private static bool CanChangeSignature(IMethodSymbol method, MethodDeclarationSyntax declaration, Project project)
    {
        if (method.MethodKind != MethodKind.Ordinary
            || method.IsAsync || method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsExtern
            || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || !method.ExplicitInterfaceImplementations.IsEmpty
            || method.ReturnsByRef || method.ReturnsByRefReadonly
            || method.ContainingType is not { TypeKind: TypeKind.Class }
            || declaration.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp5 })
        {
            return false;
        }

        if (!method.ReturnsVoid && (ConversionChecks.IsAwaitable(method.ReturnType) || method.ReturnType.IsRefLikeType || method.ReturnType.TypeKind == TypeKind.Pointer))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer)
            {
                return false;
            }
        }

        // An implicit interface implementation changes with its interface member (InterfaceRelativesAsync).
        if (method.IsStatic && method.Name == "Main" || IsEventHandlerShape(method))
        {
            return false;
        }

        // A library's public surface has callers outside the solution that the fix cannot update, unless the library is
        // not published (then every caller is in the solution, and is updated with it).
        return !ConversionChecks.IsPublishedApi(method, project)
            && !AwaitPlacement.IsInUnsafeContext(declaration);
    }

    private static bool CanBodyBecomeAsync(MethodDeclarationSyntax declaration, IOperation body)
    {
        foreach (var token in declaration.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == "await" || token.IsKind(SyntaxKind.YieldKeyword))
            {
                return false;
            }
        }

        foreach (var operation in Operations.OfFunctionBody(body))
        {
            if (operation is IVariableDeclaratorOperation { Symbol: { } local }
                && (local.IsRef || local.Type.IsRefLikeType || local.Type.TypeKind == TypeKind.Pointer))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Plans <c>await</c> for every wait of the method body that can take one; false when <paramref name="requiredWait"/> cannot.</summary>
    private static bool PlanWaits(AsyncFunctionRewriter edits, IOperation body, TaskWaits waits, TextSpan? requiredWait)
    {
        var requiredFound = requiredWait is null;
        var any = false;
        foreach (var operation in Operations.OfFunctionBody(body))
        {
            if (operation is not (IPropertyReferenceOperation or IInvocationOperation)
                || waits.TryGetWait(operation) is not { } wait
                || operation.Syntax is not ExpressionSyntax waitSyntax
                || !AwaitPlacement.CanAwaitAt(operation)
                || CreateAwait(waitSyntax, wait) is null)
            {
                continue;
            }

            var parenthesize = AwaitRewriter.NeedsParentheses(waitSyntax);
            edits.Add(waitSyntax, current =>
            {
                if (current is not ExpressionSyntax rewritten || CreateAwait(rewritten, wait) is not { } awaited)
                {
                    return current;
                }

                ExpressionSyntax result = parenthesize ? SyntaxFactory.ParenthesizedExpression(awaited) : awaited;
                return result.WithTriviaFrom(rewritten).WithAdditionalAnnotations(Formatter.Annotation);
            });
            any = true;
            requiredFound |= requiredWait == waitSyntax.Span;
        }

        return any && requiredFound;
    }

    /// <summary><c>await X</c> for <c>X.Result</c>, <c>X.Wait()</c>, <c>X.GetAwaiter().GetResult()</c>; <c>await Task.WhenAll(…)</c> for <c>Task.WaitAll(…)</c>.</summary>
    private static ExpressionSyntax? CreateAwait(ExpressionSyntax syntax, TaskWait wait)
    {
        if (wait.HasTimeoutOrToken)
        {
            return null;
        }

        ExpressionSyntax? operand = wait.Kind switch
        {
            TaskWaitKind.Result when syntax is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access => access.Expression,
            TaskWaitKind.Wait when syntax is InvocationExpressionSyntax
            {
                ArgumentList.Arguments.Count: 0,
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } access,
            } => access.Expression,
            TaskWaitKind.GetAwaiterGetResult when syntax is InvocationExpressionSyntax
            {
                ArgumentList.Arguments.Count: 0,
                Expression: MemberAccessExpressionSyntax
                {
                    Name.Identifier.ValueText: "GetResult",
                    Expression: InvocationExpressionSyntax
                    {
                        ArgumentList.Arguments.Count: 0,
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter,
                    },
                },
            } => getAwaiter.Expression,
            TaskWaitKind.WaitAll => WhenAll(syntax, wait),
            _ => null,
        };

        if (operand is null || wait.Kind != TaskWaitKind.WaitAll && !IsAwaitableReceiver(operand))
        {
            return null;
        }

        return SyntaxFactory.AwaitExpression(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space), operand.WithoutTrivia());
    }

    /// <summary><c>Task.WaitAll(a, b)</c> → <c>Task.WhenAll(a, b)</c>, for the <c>params Task[]</c> overload only (every framework has its WhenAll twin).</summary>
    private static ExpressionSyntax? WhenAll(ExpressionSyntax syntax, TaskWait wait)
    {
        if (wait.Tasks?.Parameter is not { IsParams: true, Type: IArrayTypeSymbol { ElementType.Name: "Task" } }
            || syntax is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        return invocation.Expression switch
        {
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax { Identifier.ValueText: "WaitAll" } name } access
                => invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, "WhenAll", name.Identifier.TrailingTrivia)))),
            _ => null,
        };
    }

    /// <summary>A receiver <c>await</c> can take as it is: not <c>base</c>, not inside a <c>?.</c> chain.</summary>
    private static bool IsAwaitableReceiver(ExpressionSyntax receiver)
    {
        for (var current = receiver; ;)
        {
            switch (current)
            {
                case MemberAccessExpressionSyntax access:
                    current = access.Expression;
                    break;
                case InvocationExpressionSyntax call:
                    current = call.Expression;
                    break;
                case ElementAccessExpressionSyntax element:
                    current = element.Expression;
                    break;
                case MemberBindingExpressionSyntax or ElementBindingExpressionSyntax or BaseExpressionSyntax:
                    return false;
                default:
                    return true;
            }
        }
    }

    private enum ReferenceKind
    {
        Call,
        RenameOnly,
        Unsupported,
    }

    /// <summary>
    /// A call in async code (or in a method being converted) becomes <c>await MAsync(…)</c>; <c>nameof(M)</c> and
    /// <c>cref</c>s are renamed. A call directly in another synchronous method is awaited too, and that method is returned
    /// to be converted with it. Anything else (a method group, a call in a synchronous lambda or local function) stops
    /// the conversion.
    /// </summary>
    private static async Task<(ReferenceKind Kind, MethodDeclarationSyntax? SynchronousCaller)> PlanReferenceAsync(
        AsyncFunctionRewriter edits,
        ReferenceLocation location,
        HashSet<(DocumentId, TextSpan)> converted,
        ConversionState state,
        string newName,
        CancellationToken cancellationToken)
    {
        var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await location.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return (ReferenceKind.Unsupported, null);
        }

        var token = root.FindToken(location.Location.SourceSpan.Start, findInsideTrivia: true);
        if (token.Parent is not SimpleNameSyntax name || name.Identifier.Span != location.Location.SourceSpan)
        {
            return (ReferenceKind.Unsupported, null);
        }

        if (name.FirstAncestorOrSelf<CrefSyntax>() is not null || IsInNameOf(name))
        {
            edits.Add(name, current => Renamed(current, newName));
            return (ReferenceKind.RenameOnly, null);
        }

        ExpressionSyntax callee = name;
        if (name.Parent is MemberAccessExpressionSyntax access && access.Name == name)
        {
            callee = access;
        }
        else if (name.Parent is MemberBindingExpressionSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax)
        {
            return (ReferenceKind.Unsupported, null);
        }

        if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || !AwaitPlacement.CanAwaitAt(operation))
        {
            return (ReferenceKind.Unsupported, null);
        }

        var function = AsyncContext.GetEnclosingFunction(invocation);
        MethodDeclarationSyntax? synchronousCaller = null;
        if (!(function is CompilationUnitSyntax || AsyncContext.IsAsyncFunction(function)))
        {
            switch (function)
            {
                case MethodDeclarationSyntax method:
                    if (!converted.Contains((location.Document.Id, method.Span)))
                    {
                        synchronousCaller = method;
                    }

                    state.Awaiting.Add((location.Document.Id, method.Span));
                    break;

                // A minimal-API route handler is an entry point: ASP.NET Core awaits what it returns (RouteHandlers).
                case AnonymousFunctionExpressionSyntax lambda when RouteHandlers.EnclosingHandlerThatCanBecomeAsync(operation) is not null:
                    if (state.HandlerLambdas.Add((location.Document.Id, lambda.Span)))
                    {
                        edits.MakeAsync(lambda);
                    }

                    break;

                default:
                    return (ReferenceKind.Unsupported, null);
            }
        }

        var parenthesize = AwaitRewriter.NeedsParentheses(invocation);
        edits.Add(name, current => Renamed(current, newName));
        edits.Add(invocation, current =>
        {
            if (current is not ExpressionSyntax call)
            {
                return current;
            }

            ExpressionSyntax awaited = SyntaxFactory.AwaitExpression(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space), call.WithoutTrivia());
            if (parenthesize)
            {
                awaited = SyntaxFactory.ParenthesizedExpression(awaited);
            }

            return awaited.WithTriviaFrom(call).WithAdditionalAnnotations(Formatter.Annotation);
        });
        return (ReferenceKind.Call, synchronousCaller);
    }

    private static bool IsInNameOf(SyntaxNode name)
    {
        var node = name;
        while (node.Parent is MemberAccessExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } } };
    }

    private static SyntaxNode Renamed(SyntaxNode current, string newName) => current switch
    {
        IdentifierNameSyntax identifier => identifier.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(identifier.Identifier)),
        GenericNameSyntax generic => generic.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(generic.Identifier)),
        _ => current,
    };

    private static bool IsEventHandlerShape(IMethodSymbol method)
    {
        if (!method.ReturnsVoid || method.Parameters.Length != 2 || method.Parameters[0].Type.SpecialType != SpecialType.System_Object)
        {
            return false;
        }

        for (var type = method.Parameters[1].Type; type is not null; type = type.BaseType)
        {
            if (type.Name == "EventArgs" && type.ContainingNamespace is { Name: "System" } ns && ns.ContainingNamespace.IsGlobalNamespace)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        var type = method.ContainingType;
        foreach (var implemented in type.AllInterfaces)
        {
            foreach (var member in implemented.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
