using System.Collections.Immutable;

namespace TrueAsync.Tests.Robustness;

/// <summary>Where an input came from; the checks are the same, the figures are kept apart.</summary>
public enum InputOrigin
{
    RuleTest,
    Sample,
    Generated,
    Mutation,
}

/// <summary>One C# file of an input.</summary>
public sealed record InputDocument(string Path, string Text);

/// <summary>
/// A set of C# files compiled together as one project. <paramref name="References"/> are the other projects of its
/// solution that it references (a sample's <c>ProjectReference</c>s), each compiled as a project of its own in the
/// same workspace, as in the IDE: their methods are metadata to this project, not its own.
/// </summary>
public sealed record RobustnessInput(string Name, InputOrigin Origin, ImmutableArray<InputDocument> Documents, ImmutableArray<RobustnessInput> References = default)
{
    /// <summary>The referenced projects; empty, never default.</summary>
    public ImmutableArray<RobustnessInput> References { get; init; } = References.IsDefault ? ImmutableArray<RobustnessInput>.Empty : References;

    public static RobustnessInput SingleFile(string name, InputOrigin origin, string text)
        => new(name, origin, ImmutableArray.Create(new InputDocument("Input0.cs", text)));

    public int LineCount
    {
        get
        {
            var lines = 0;
            foreach (var document in Documents)
            {
                lines += 1;
                foreach (var c in document.Text)
                {
                    if (c == '\n')
                    {
                        lines++;
                    }
                }
            }

            return lines;
        }
    }
}
