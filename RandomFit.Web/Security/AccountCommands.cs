using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace RandomFit.Web.Security;

/// <summary>
/// The command-line account commands, run instead of the server:
/// <c>create-user NAME</c> (password on standard input) and <c>create-token NAME</c>.
/// </summary>
public static class AccountCommands
{
    public const string CreateUser = "create-user";
    public const string CreateToken = "create-token";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is CreateUser or CreateToken;

    /// <summary>
    /// Runs the command in <paramref name="args"/> and returns the process exit code. The token goes to
    /// <paramref name="output"/> and nowhere else, because logs must never carry a secret.
    /// </summary>
    public static async Task<int> RunAsync(
        IServiceProvider services,
        string[] args,
        TextReader input,
        TextWriter output,
        TextWriter error)
    {
        if (args.Length != 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            await error.WriteLineAsync($"Usage: {CreateUser} NAME (password on standard input) or {CreateToken} NAME.");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Database.MigrateAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return args[0] == CreateUser
            ? await CreateUserAsync(users, args[1], input, output, error)
            : await CreateTokenAsync(scope.ServiceProvider, users, args[1], output, error);
    }

    private static async Task<int> CreateUserAsync(
        UserManager<IdentityUser> users,
        string name,
        TextReader input,
        TextWriter output,
        TextWriter error)
    {
        var password = await input.ReadLineAsync();
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("No password on standard input; pipe or type it on one line.");
            return 1;
        }

        var result = await users.CreateAsync(new IdentityUser(name), password);
        if (!result.Succeeded)
        {
            foreach (var failure in result.Errors)
            {
                await error.WriteLineAsync(failure.Description);
            }

            return 1;
        }

        await output.WriteLineAsync($"Created user '{name}'.");
        return 0;
    }

    private static async Task<int> CreateTokenAsync(
        IServiceProvider services,
        UserManager<IdentityUser> users,
        string name,
        TextWriter output,
        TextWriter error)
    {
        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            await error.WriteLineAsync($"User '{name}' not found; create it first with {CreateUser} {name}.");
            return 1;
        }

        var token = ApiTokens.NewToken();
        var db = services.GetRequiredService<AccountsDbContext>();
        db.ApiTokens.Add(new ApiTokenEntity
        {
            UserId = user.Id,
            Hash = ApiTokens.Hash(token),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        await output.WriteLineAsync(token);
        return 0;
    }
}
