using System.CommandLine;
var root = new RootCommand("procscope");
var c = new Command("hello");
c.SetAction(pr => { Console.WriteLine("hi"); return 0; });
root.Subcommands.Add(c);
return root.Parse(args).Invoke();
