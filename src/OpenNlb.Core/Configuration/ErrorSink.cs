namespace OpenNlb.Core.Configuration;

/// <summary>
/// Collects errors for the loader and the validator, and remembers which paths hold no value read
/// from the file (missing, wrong type, repeated) but a placeholder, so that the validator skips
/// them instead of reporting consequences of a mistake already reported.
/// </summary>
internal sealed class ErrorSink
{
    /// <summary>Where errors about the text as a whole are reported.</summary>
    public const string DocumentPath = "document";

    private readonly List<ConfigError> _errors = [];
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);
    private bool _truncated;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>Reports an error; the value at the path was read and stays usable for other rules.</summary>
    public void Add(string path, string message)
    {
        if (_errors.Count < ConfigLimits.MaxErrors)
        {
            _errors.Add(new ConfigError(path, message));
        }
        else
        {
            _truncated = true;
        }
    }

    /// <summary>Reports an error about a value that could not be read and was replaced by a placeholder.</summary>
    public void Reject(string path, string message)
    {
        _unknown.Add(path);
        Add(path, message);
    }

    /// <summary>Marks a path whose value is a placeholder, without an error of its own.</summary>
    public void MarkUnknown(string path) => _unknown.Add(path);

    /// <summary>
    /// Whether the value at <paramref name="path"/> can be trusted: neither it nor any path above it
    /// was marked. Checks every prefix that ends before a '.' or '[', which covers every ancestor.
    /// </summary>
    public bool IsKnown(string path)
    {
        if (_unknown.Count == 0)
        {
            return true;
        }

        var current = path;
        while (true)
        {
            if (_unknown.Contains(current))
            {
                return false;
            }

            var cut = current.AsSpan().LastIndexOfAny('.', '[');
            if (cut <= 0)
            {
                return true;
            }

            current = current[..cut];
        }
    }

    public IReadOnlyList<ConfigError> ToList()
    {
        if (!_truncated)
        {
            return _errors.ToArray();
        }

        return [.. _errors, new ConfigError(DocumentPath, $"too many errors; only the first {ConfigLimits.MaxErrors} are shown")];
    }
}
