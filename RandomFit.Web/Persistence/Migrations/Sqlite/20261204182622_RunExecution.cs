using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RandomFit.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RunExecution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Execution",
                table: "runs",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "separate");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Execution",
                table: "runs");
        }
    }
}
