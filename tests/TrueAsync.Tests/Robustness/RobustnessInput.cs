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

/// <summary>A set of C# files compiled together as one project.</summary>
public sealed record RobustnessInput(string Name, InputOrigin Origin, ImmutableArray<InputDocument> Documents)
{
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
