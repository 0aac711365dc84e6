[quote="Anna"]ich setze Citalopram ab.[/quote]
Viel Kraft!