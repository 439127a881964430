using System.Text.Json;
using OpenNlb.Core.Status;

namespace OpenNlb.Daemon;

/// <summary>Writes the host's status atomically (write a temporary file, rename over the old one).</summary>
internal sealed class StatusFile(string? path)
{
    public void Write(HostStatus status)
    {
        if (path is null)
        {
            return;
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(status, StatusJsonContext.Default.HostStatus));
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete()
    {
        if (path is not null && File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
