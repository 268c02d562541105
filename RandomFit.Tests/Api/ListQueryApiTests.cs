using System.Net.Http.Json;
using System.Text.Json;
using RandomFit.Tests.Web;
using static RandomFit.Tests.Api.ApiResponses;

namespace RandomFit.Tests.Api;

/// <summary>The query parameter names that both list endpoints read through one reader.</summary>
[Collection(TorchCollection.Name)]
public sealed class ListQueryApiTests : HostTestBase
{
    [Theory]
    [InlineData("/api/runs", "stauts=completed", "stauts")]
    [InlineData("/api/runs", "experimentId=abc&page=1", "experimentId")]
    [InlineData("/api/experiments", "stauts=completed", "stauts")]
    [InlineData("/api/experiments", "experimentId=abc&page=1", "experimentId")]
    public async Task List_UnknownParameter_Returns400NamingIt(string path, string query, string parameter)
    {
        var response = await Client.GetAsync($"{path}?{query}", Cancellation);
        var errors = await ReadValidationErrorsAsync(response);

        Assert.Equal(parameter, Assert.Single(errors).Key);
        Assert.Equal(
            [$"Unknown query parameter '{parameter}'; use experiment, model, status, seed, preset, sort, page or pageSize."],
            errors[parameter]);
    }

    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/experiments")]
    public async Task List_ParameterNameInOtherCase_IsRead(string path)
    {
        var page = await Client.GetFromJsonAsync<JsonElement>($"{path}?PageSize=3", Cancellation);

        Assert.Equal(3, page.GetProperty("pageSize").GetInt32());
    }
}
