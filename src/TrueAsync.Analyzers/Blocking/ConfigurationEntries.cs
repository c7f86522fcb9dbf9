using System;
using System.Collections.Generic;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// Splits and checks the values of TrueAsync's <c>.editorconfig</c> keys (docs/configuration.md). Documentation IDs
/// carry commas inside their parameter lists (<c>M:Acme.Db.Query(System.String,System.Int32)</c>), so entries are
/// separated by commas outside parentheses. A <c>;</c> separates too where a value can hold one (an option set in
/// code); in <c>.editorconfig</c> it starts a comment, and the reader never hands over what follows it. Every problem found becomes a TA0005
/// message (<see cref="Rules.ConfigurationAnalyzer"/>); the rules use the valid entries only and skip the others.
/// </summary>
internal static class ConfigurationEntries
{
    public const string CounterpartsKey = "trueasync.counterparts";
    public const string BlockingMethodsKey = "trueasync.blocking_methods";
    public const string CounterpartArrow = "->";

    /// <summary>The raw entries of a key's value, trimmed, empty ones left out.</summary>
    public static List<string> Split(string? value)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return result;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value!.Length; i++)
        {
            var c = i < value.Length ? value[i] : ';';
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (c == ';' || (c == ',' && depth <= 0))
            {
                var entry = value.Substring(start, i - start).Trim();
                if (entry.Length > 0)
                {
                    result.Add(entry);
                }

                start = i + 1;
                depth = c == ';' ? 0 : depth;
            }
        }

        return result;
    }

    /// <summary>
    /// An exclusion entry in its normal form: <c>M:Type.Method(Params)</c>, <c>M:Type.Method</c>, <c>T:Type</c>,
    /// <c>T:Namespace.*</c> or <c>N:Namespace</c>. A method may be written without its prefix and with empty parentheses.
    /// </summary>
    public static bool TryNormalizeExclusion(string entry, out string normalized, out string error)
    {
        normalized = entry;
        var prefixed = entry.Length > 1 && entry[1] == ':';
        var kind = prefixed ? entry[0] : 'M';
        var name = prefixed ? entry.Substring(2).Trim() : entry;
        if (kind is not ('M' or 'T' or 'N'))
        {
            error = $"'{entry}' starts with '{entry.Substring(0, 2)}'; an exclusion is a method (M:), a type (T:) or a namespace (N:)";
            return false;
        }

        if (!TryCheckName(name, allowWildcard: kind == 'T', out error))
        {
            error = $"'{entry}': {error}";
            return false;
        }

        // Documentation IDs of parameterless methods have no parentheses; users write them anyway.
        if (kind == 'M' && name.EndsWith("()", StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - 2);
        }

        normalized = kind + ":" + name;
        return true;
    }

    /// <summary>A method ID written with or without its <c>M:</c> prefix, in its normal form.</summary>
    public static bool TryNormalizeMethod(string entry, out string normalized, out string error)
    {
        normalized = entry;
        var prefixed = entry.Length > 1 && entry[1] == ':';
        if (prefixed && entry[0] != 'M')
        {
            error = $"'{entry}' is not a method: write its documentation ID with the prefix M:";
            return false;
        }

        var name = prefixed ? entry.Substring(2).Trim() : entry;
        if (!TryCheckName(name, allowWildcard: false, out error))
        {
            error = $"'{entry}': {error}";
            return false;
        }

        // Documentation IDs of parameterless methods have no parentheses; users write them anyway.
        normalized = "M:" + (name.EndsWith("()", StringComparison.Ordinal) ? name.Substring(0, name.Length - 2) : name);
        return true;
    }

    /// <summary>A counterpart entry: <c>M:Blocking(Params)-&gt;M:Async(Params)</c>.</summary>
    public static bool TryParseCounterpart(string entry, out string blocking, out string asyncMethod, out string error)
    {
        blocking = asyncMethod = string.Empty;
        var arrow = entry.IndexOf(CounterpartArrow, StringComparison.Ordinal);
        if (arrow < 0 || entry.IndexOf(CounterpartArrow, arrow + CounterpartArrow.Length, StringComparison.Ordinal) >= 0)
        {
            error = $"'{entry}' is not of the form M:Blocking.Method(Params)->M:Async.Method(Params)";
            return false;
        }

        return TryNormalizeMethod(entry.Substring(0, arrow).Trim(), out blocking, out error)
            && TryNormalizeMethod(entry.Substring(arrow + CounterpartArrow.Length).Trim(), out asyncMethod, out error);
    }

    private static bool TryCheckName(string name, bool allowWildcard, out string error)
    {
        error = string.Empty;
        if (name.Length == 0)
        {
            error = "the name is empty";
            return false;
        }

        var star = name.IndexOf('*');
        if (star >= 0 && !(allowWildcard && star == name.Length - 1 && name.EndsWith(".*", StringComparison.Ordinal)))
        {
            error = "'*' is allowed only as the last part of a type name (T:Namespace.*)";
            return false;
        }

        var depth = 0;
        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c))
            {
                error = "a documentation ID contains no spaces";
                return false;
            }

            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                break;
            }
        }

        if (depth != 0)
        {
            error = "its parentheses do not match";
            return false;
        }

        return true;
    }
}
