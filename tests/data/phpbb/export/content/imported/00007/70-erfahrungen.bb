[b]Hallo[/b] zusammen,
ich setze [i]Citalopram[/i] ab.