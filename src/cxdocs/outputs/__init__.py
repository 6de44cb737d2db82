"""What a build hands to the outside: response packs and the exporter base, the leak guard and
the content health page. Built from the core only: no renderer, no built-in plugin."""
