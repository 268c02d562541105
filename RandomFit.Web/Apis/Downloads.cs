using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace RandomFit.Web.Apis;

/// <summary>Text responses that carry the file name to save them under.</summary>
public static class Downloads
{
    /// <summary>
    /// UTF-8 text with <c>Content-Disposition: attachment</c> and <paramref name="fileName"/>, so that
    /// <c>curl -OJ</c> and browsers save it under that name rather than as "export.csv".
    /// </summary>
    public static ContentHttpResult Text(HttpContext context, string content, string contentType, string fileName)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        context.Response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.Text(content, contentType, Encoding.UTF8);
    }
}
