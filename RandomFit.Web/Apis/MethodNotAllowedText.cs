namespace RandomFit.Web.Apis;

/// <summary>
/// The detail of a 405 problem: the method and path of the request, the methods the path accepts, and for a request
/// to delete a run, the endpoint that deletes it.
/// </summary>
public static class MethodNotAllowedText
{
    /// <summary>
    /// Describes why <paramref name="method"/> failed on <paramref name="path"/>. <paramref name="allow"/> is the
    /// response's Allow header: the methods the path's endpoints accept, with HEAD where GET is accepted.
    /// </summary>
    public static string Describe(string method, string path, string allow)
    {
        var detail = string.IsNullOrEmpty(allow)
            ? $"{method} is not allowed on {path}."
            : $"{method} is not allowed on {path}, which accepts {allow}.";

        // A run belongs to its experiment, and the API deletes the two together.
        if (HttpMethods.IsDelete(method) && IsRunPath(path))
        {
            detail += " Runs are deleted with their experiment: DELETE /api/experiments/{experimentId} deletes an "
                + "experiment and all its runs, and GET /api/runs/{id} returns a run's experimentId.";
        }

        return detail;
    }

    /// <summary>
    /// Returns <paramref name="allow"/> with HEAD added where it lists GET. Routing lists the methods the endpoints
    /// declare, and this app's GET endpoints do not declare HEAD, but <see cref="HeadRequests"/> serves HEAD on them.
    /// </summary>
    public static string WithHead(string allow)
    {
        var methods = allow
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        if (methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
            && !methods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
        {
            methods.Add(HttpMethods.Head);
        }

        return string.Join(", ", methods.Order(StringComparer.OrdinalIgnoreCase));
    }

    // Matches /api/runs and /api/runs/{id}, case-insensitively and with an optional trailing slash, as routing does.
    private static bool IsRunPath(string path)
    {
        var segments = path.Trim('/').Split('/');
        return segments.Length is 2 or 3
            && segments[0].Equals("api", StringComparison.OrdinalIgnoreCase)
            && segments[1].Equals("runs", StringComparison.OrdinalIgnoreCase)
            && (segments.Length == 2 || segments[2].Length > 0);
    }
}
