// The ps parser and formatting helpers are internal; their unit tests live in Procscope.Cli.Tests/Ps.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Procscope.Cli.Tests")]
