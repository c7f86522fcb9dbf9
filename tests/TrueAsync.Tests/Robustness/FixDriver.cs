using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// Drives code fixes the way the IDE and <c>dotnet format</c> do: asks a fixer to register its actions
/// for a diagnostic, computes an action's operations, runs Fix All through the fixer's own provider.
/// </summary>
public static class FixDriver
{
    // Roslyn 4.8 keeps nested actions internal ("NestedCodeActions"); later versions make them public ("NestedActions").
    private static readonly PropertyInfo? NestedActionsProperty =
        typeof(CodeAction).GetProperty("NestedActions", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? typeof(CodeAction).GetProperty("NestedCodeActions", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    /// <summary>The actions a fixer registers for one diagnostic, nested actions flattened.</summary>
    public static async Task<IReadOnlyList<CodeAction>> RegisterAsync(CodeFixProvider fixer, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => { lock (actions) { actions.Add(action); } }, cancellationToken);
        await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        lock (actions)
        {
            return Flatten(actions).ToArray();
        }
    }

    public static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions)
    {
        foreach (var action in actions)
        {
            var nested = NestedActionsProperty?.GetValue(action) is ImmutableArray<CodeAction> { IsDefaultOrEmpty: false } children
                ? children
                : ImmutableArray<CodeAction>.Empty;
            if (nested.IsEmpty)
            {
                yield return action;
                continue;
            }

            foreach (var child in Flatten(nested))
            {
                yield return child;
            }
        }
    }

    /// <summary>The solution an action produces, or null when it changes nothing. Forces every changed text.</summary>
    public static async Task<Solution?> ApplyAsync(CodeAction action, Solution original, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        Solution? changed = null;
        foreach (var operation in operations)
        {
            if (operation is ApplyChangesOperation apply)
            {
                changed = apply.ChangedSolution;
            }
        }

        if (changed is null)
        {
            return null;
        }

        var anyChange = false;
        foreach (var projectChanges in changed.GetChanges(original).GetProjectChanges())
        {
            foreach (var documentId in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true).Concat(projectChanges.GetAddedDocuments()))
            {
                var document = changed.GetDocument(documentId);
                if (document is not null)
                {
                    await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    anyChange = true;
                }
            }

            anyChange |= projectChanges.GetRemovedDocuments().Any();
        }

        return anyChange ? changed : null;
    }

    /// <summary>Runs the fixer's Fix All for one ID and equivalence key; null when it offers nothing or changes nothing.</summary>
    public static async Task<Solution?> FixAllAsync(
        CodeFixProvider fixer,
        FixAllScope scope,
        Document document,
        string diagnosticId,
        string? equivalenceKey,
        FixAllContext.DiagnosticProvider diagnostics,
        CancellationToken cancellationToken)
    {
        var provider = fixer.GetFixAllProvider();
        if (provider is null || !provider.GetSupportedFixAllScopes().Contains(scope))
        {
            return null;
        }

        var context = scope == FixAllScope.Document
            ? new FixAllContext(document, fixer, scope, equivalenceKey, new[] { diagnosticId }, diagnostics, cancellationToken)
            : new FixAllContext(document.Project, fixer, scope, equivalenceKey, new[] { diagnosticId }, diagnostics, cancellationToken);
        var action = await provider.GetFixAsync(context).ConfigureAwait(false);
        return action is null ? null : await ApplyAsync(action, document.Project.Solution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The compiler errors of <paramref name="after"/> that <paramref name="before"/> did not have.
    /// An error is identified by its ID and message, counted as a multiset: positions move when a
    /// fix edits the file, the message does not (it names the symbol, type or feature involved).
    /// </summary>
    public static ImmutableArray<Diagnostic> NewErrors(IEnumerable<Diagnostic> before, IEnumerable<Diagnostic> after)
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var error in before)
        {
            var key = ErrorKey(error);
            remaining[key] = remaining.TryGetValue(key, out var n) ? n + 1 : 1;
        }

        var added = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var error in after)
        {
            var key = ErrorKey(error);
            if (remaining.TryGetValue(key, out var n) && n > 0)
            {
                remaining[key] = n - 1;
            }
            else
            {
                added.Add(error);
            }
        }

        return added.ToImmutable();
    }

    private static string ErrorKey(Diagnostic error) => error.Id + ": " + error.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>
    /// Maps a span of the fixed text back to the text before the fix. Text outside the changed
    /// regions maps exactly; a position inside a changed region maps to that region's start (for a
    /// span start) or end (for a span end), so a span touching new text covers the text it replaced.
    /// </summary>
    public static TextSpan MapBack(TextSpan span, IReadOnlyList<TextChange> changes)
    {
        var start = MapBack(span.Start, changes, toEnd: false);
        var end = Math.Max(start, MapBack(span.End, changes, toEnd: true));
        return TextSpan.FromBounds(start, end);
    }

    private static int MapBack(int position, IReadOnlyList<TextChange> changes, bool toEnd)
    {
        var delta = 0;
        foreach (var change in changes.OrderBy(c => c.Span.Start))
        {
            var newStart = change.Span.Start + delta;
            var newEnd = newStart + (change.NewText?.Length ?? 0);
            if (position < newStart || (position == newStart && !toEnd))
            {
                return position - delta;
            }

            if (position < newEnd || (position == newEnd && toEnd && newEnd > newStart))
            {
                return toEnd ? change.Span.End : change.Span.Start;
            }

            delta += (change.NewText?.Length ?? 0) - change.Span.Length;
        }

        return position - delta;
    }

    /// <summary>A short description of an exception for a failure line: type, message, the frame that threw.</summary>
    public static string Describe(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        var frame = exception.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
        return $"{exception.GetType().Name}: {exception.Message} {frame}";
    }
}
