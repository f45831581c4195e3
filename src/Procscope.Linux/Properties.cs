[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Procscope.Linux.Tests")]
