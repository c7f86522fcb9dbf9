using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// The checks the solution-wide conversions share (make-method-async, the async twin): does the result compile as
/// well as before, may a public surface change, is a name free (a body's own operations: Operations.OfFunctionBody).
/// </summary>
internal static class ConversionChecks
{
    /// <summary>No changed document may have more compiler errors than before.</summary>
    public static async Task<bool> CompilesAsWellAsync(Solution before, Solution after, IEnumerable<DocumentId> changed, CancellationToken cancellationToken)
    {
        foreach (var id in changed)
        {
            var oldModel = before.GetDocument(id) is { } oldDocument ? await oldDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) : null;
            var newModel = after.GetDocument(id) is { } newDocument ? await newDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) : null;
            if (oldModel is null || newModel is null)
            {
                return false;
            }

            var oldErrors = oldModel.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
            var newErrors = newModel.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
            if (newErrors > oldErrors)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The project says it is not published as a package: <c>&lt;IsPackable&gt;false&lt;/IsPackable&gt;</c> and no
    /// <c>GeneratePackageOnBuild</c>, seen through the analyzer config options (<c>build_property.*</c>, made visible by the
    /// package's <c>build/TrueAsync.Analyzers.props</c>). Unknown (the properties are not visible) counts as published.
    /// </summary>
    public static bool IsUnpublishedProject(Project project)
    {
        var options = project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GlobalOptions;
        return options.TryGetValue("build_property.IsPackable", out var packable)
            && string.Equals(packable?.Trim(), "false", StringComparison.OrdinalIgnoreCase)
            && !(options.TryGetValue("build_property.GeneratePackageOnBuild", out var onBuild)
                && string.Equals(onBuild?.Trim(), "true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Whether code outside the solution may depend on <paramref name="symbol"/>'s exact shape: it is visible outside its
    /// assembly, the assembly is a library, and the library may be published.
    /// </summary>
    public static bool IsPublishedApi(ISymbol symbol, Project project)
        => IsVisibleOutsideAssembly(symbol)
            && project.CompilationOptions?.OutputKind is null or OutputKind.DynamicallyLinkedLibrary
            && !IsUnpublishedProject(project);

    public static bool IsVisibleOutsideAssembly(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A task, value task or any type with an instance <c>GetAwaiter()</c>.</summary>
    public static bool IsAwaitable(ITypeSymbol type) => FinishedTasks.IsAwaitable(type);

    /// <summary>Whether <paramref name="type"/> or one of its base types has a member called <paramref name="name"/>.</summary>
    public static bool HasMemberNamed(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (!current.GetMembers(name).IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

}
