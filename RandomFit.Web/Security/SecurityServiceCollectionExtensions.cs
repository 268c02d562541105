using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Security;

/// <summary>Registration and middleware for accounts, the run-starter policy, the run limit and security headers.</summary>
public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddRandomFitSecurity(this IServiceCollection services)
    {
        // Options
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Accounts
        services.AddScoped<AccountsDbContext>(CreateAccountsDbContext);
        services.AddIdentityCore<IdentityUser>(options =>
            {
                // Length over composition rules, as NIST SP 800-63B recommends.
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddSignInManager();

        // Authentication: the sign-in cookie for pages, bearer tokens for scripts
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();
        authentication.AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(AuthSchemes.Bearer, null);
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = AccountEndpoints.LoginPath;
            options.LogoutPath = AccountEndpoints.LogoutPath;
            options.Cookie.Name = "RandomFit.SignIn";
            options.Cookie.HttpOnly = true;

            // Lax keeps the cookie off cross-site POSTs, so another site cannot start runs in a user's name.
            options.Cookie.SameSite = SameSiteMode.Lax;
        });
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();

        // Authorization: who may start, cancel and delete runs
        services.AddSingleton<SignInRequirement>();
        services.AddAuthorization(RunStarterPolicy.Add);
        services.AddSingleton<IAuthorizationHandler, RunStarterHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler,
            SignInProblemResultHandler>();

        // Run limit
        services.AddSingleton<RunStartLimiter>();
        services.AddExceptionHandler<RunLimitExceptionHandler>();
        services.AddScoped<CircuitHandler, RunStarterCircuitHandler>();

        // In Development, minimal APIs throw on a bad form post (such as a missing antiforgery token) instead of
        // returning 400. This selector keeps the exception's own status, so the client gets 400, not 500.
        services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector = exception =>
            exception is BadHttpRequestException badRequest ? badRequest.StatusCode : StatusCodes.Status500InternalServerError);
        return services;
    }

    /// <summary>Creates or updates the accounts tables.</summary>
    // The accounts live in the experiments' database, so they follow its provider.
    private static AccountsDbContext CreateAccountsDbContext(IServiceProvider provider)
    {
        var configuration = provider.GetRequiredService<IConfiguration>();
        if (DatabaseProviders.Read(configuration) == DatabaseProvider.Sqlite)
        {
            var contentRoot = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new AccountsDbContext(new DbContextOptionsBuilder<AccountsDbContext>()
                .UseSqlite(DatabaseConnection.Resolve(configuration, contentRoot))
                .Options);
        }

        return new PostgresAccountsDbContext(new DbContextOptionsBuilder<PostgresAccountsDbContext>()
            .UseNpgsql(configuration.GetConnectionString(DatabaseConnection.Name))
            .Options);
    }

    public static async Task PrepareAccountsDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Database.MigrateAsync();

        // Decided once the server has bound its addresses, so the log shows the decision before any request.
        app.Lifetime.ApplicationStarted.Register(() => _ = app.Services.GetRequiredService<SignInRequirement>().Required);
    }

    /// <summary>Authenticates the request, applies endpoint policies and records who would start runs.</summary>
    public static WebApplication UseRunStarterAuthorization(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();

        // After authorization, because the policy's bearer check replaces the request's user.
        app.Use((context, next) =>
        {
            RunStarter.Current = RunStarter.PartitionOf(context.User, context.Connection.RemoteIpAddress);
            return next(context);
        });
        return app;
    }
}
