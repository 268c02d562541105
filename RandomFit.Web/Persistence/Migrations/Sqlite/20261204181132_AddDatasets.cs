using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RandomFit.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddDatasets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    LabelsName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Format = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    InputShape = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TestSamples = table.Column<int>(type: "INTEGER", nullable: false),
                    Classes = table.Column<int>(type: "INTEGER", nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Labels = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "datasets");
        }
    }
}
