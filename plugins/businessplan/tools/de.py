"""German translations of the plugin's strings; `python tools/de.py` writes the .po file
from messages.pot (new ids without a translation here stay untranslated and are listed; the
header is not marked fuzzy, so ``pybabel compile`` does not skip the catalogue)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parents[1] / "projektfabrik_businessplan" / "translations"

DE: dict[str | tuple[str, str], str | tuple[str, str]] = {
    "Break-even, %(year)s": "Gewinnschwelle, %(year)s",
    "Revenue and total costs as revenue grows. Planned revenue %(planned)s; break-even at %(needed)s.": "Umsatz und Gesamtkosten bei wachsendem Umsatz. Geplanter Umsatz %(planned)s; Gewinnschwelle bei %(needed)s.",  # noqa: E501
    "not reached": "nicht erreicht",
    "Revenue": "Umsatz",
    "Total costs": "Gesamtkosten",
    "Planned revenue": "Geplanter Umsatz",
    "This amount is too large.": "Dieser Betrag ist zu groß.",
    "Please enter a percentage like 4,5.": "Bitte geben Sie einen Prozentsatz wie 4,5 ein.",
    "At most 100 %, please.": "Bitte höchstens 100 %.",
    "Please give this line a name.": "Bitte geben Sie dieser Zeile einen Namen.",
    "Name": "Name",
    "Amount (€)": "Betrag (€)",
    "Price (€)": "Kaufpreis (€)",
    "Useful life (years)": "Nutzungsdauer (Jahre)",
    "Interest a year (%)": "Zinssatz pro Jahr (%)",
    "Term (months)": "Laufzeit (Monate)",
    "Months without repayment at the start": "Tilgungsfreie Monate am Anfang",
    "Fewer months than the term, please.": "Bitte weniger Monate als die Laufzeit.",
    "Net price per unit (€)": "Nettopreis je Einheit (€)",
    "Direct cost per unit (€)": "Direkte Kosten je Einheit (€)",
    "Units in year 1": "Menge im 1. Jahr",
    "Units in year 2": "Menge im 2. Jahr",
    "Units in year 3": "Menge im 3. Jahr",
    "Year 1 (€)": "1. Jahr (€)",
    "Year 2 (€)": "2. Jahr (€)",
    "Year 3 (€)": "3. Jahr (€)",
    "Cash reserve (€)": "Liquiditätsreserve (€)",
    "Money kept in the account for the first months; it is not spent.": "Geld, das für die ersten Monate auf dem Konto bleibt; es wird nicht ausgegeben.",  # noqa: E501
    "Own funds (€)": "Eigenmittel (€)",
    "Staff costs": "Personalkosten",
    "Rent and room costs": "Miete und Raumkosten",
    "Other costs (insurance, phone, marketing, …)": "Sonstige Kosten (Versicherung, Telefon, Werbung, …)",  # noqa: E501
    "Taxes on profit (%)": "Steuern auf den Gewinn (%)",
    "Simplified: this share of each year's profit. A non-profit often pays none; ask your tax adviser.": "Vereinfacht: dieser Anteil am Gewinn jedes Jahres. Gemeinnützige zahlen oft keine; fragen Sie Ihre Steuerberatung.",  # noqa: E501
    "Text": "Text",
    "Legal form": "Rechtsform",
    "Outline": "Gliederung",
    "Business plan": "Businessplan",
    "Teams turn their project plan into a business plan for a bank or a foundation: texts prefilled from the project, capital need, profitability and liquidity for three years, as PDF and spreadsheet.": "Teams machen aus ihrem Projektplan einen Businessplan für Bank oder Stiftung: Texte aus dem Projekt übernommen, Kapitalbedarf, Rentabilität und Liquidität für drei Jahre, als PDF und Tabelle.",  # noqa: E501
    "Summary": "Zusammenfassung",
    "The plan on one page: the offer, who it is for, the team, the money needed.": "Der Plan auf einer Seite: das Angebot, für wen es ist, das Team, das benötigte Geld.",  # noqa: E501
    "Team": "Team",
    "Who does what, with which experience; who is missing.": "Wer macht was, mit welcher Erfahrung; wer fehlt noch.",
    "Offer and what makes it different": "Angebot und Alleinstellungsmerkmal",
    "What you offer, the benefit for your customers, what others do not offer.": "Was Sie anbieten, der Nutzen für Ihre Kundschaft, was andere nicht bieten.",  # noqa: E501
    "Target group and market": "Zielgruppe und Markt",
    "Who buys or uses it, how many of them there are, what they pay today.": "Wer es kauft oder nutzt, wie viele es sind, was sie heute bezahlen.",  # noqa: E501
    "Competition": "Wettbewerb",
    "Who offers something similar nearby, and why people will come to you.": "Wer in der Nähe Ähnliches anbietet und warum die Leute zu Ihnen kommen.",  # noqa: E501
    "Marketing and sales": "Marketing und Vertrieb",
    "How people learn about you, prices, where and how you sell.": "Wie die Leute von Ihnen erfahren, Preise, wo und wie Sie verkaufen.",  # noqa: E501
    "Which legal form you choose and why; see the short guide below.": "Welche Rechtsform Sie wählen und warum; siehe die Kurzübersicht unten.",  # noqa: E501
    "Location": "Standort",
    "Where you work, why there, rent and access.": "Wo Sie arbeiten, warum dort, Miete und Erreichbarkeit.",
    "Implementation": "Umsetzung",
    "The steps and dates until the start, from the work plan.": "Die Schritte und Termine bis zum Start, aus dem Arbeitsplan.",  # noqa: E501
    "Opportunities and risks": "Chancen und Risiken",
    "What could go better or worse than planned, and what you would do then.": "Was besser oder schlechter laufen könnte als geplant, und was Sie dann tun.",  # noqa: E501
    "Financial part": "Finanzteil",
    "Notes on the numbers: the assumptions behind prices, quantities and costs.": "Erläuterungen zu den Zahlen: die Annahmen hinter Preisen, Mengen und Kosten.",  # noqa: E501
    "The problem": "Das Problem",
    "The social problem and its causes.": "Das gesellschaftliche Problem und seine Ursachen.",
    "The solution": "Der Lösungsansatz",
    "Your approach and how it tackles the causes.": "Ihr Ansatz und wie er die Ursachen angeht.",
    "Outputs": "Leistungen (Output)",
    "What you do and offer: events, places, people reached.": "Was Sie tun und anbieten: Veranstaltungen, Orte, erreichte Menschen.",  # noqa: E501
    "Outcomes": "Wirkungen bei der Zielgruppe (Outcome)",
    "What changes for the people you reach.": "Was sich für die erreichten Menschen ändert.",
    "Impact": "Wirkung in der Gesellschaft (Impact)",
    "What changes for the town or society beyond them.": "Was sich darüber hinaus für die Stadt oder die Gesellschaft ändert.",  # noqa: E501
    "Resources": "Ressourcen",
    "People, rooms, material and money you need, from the resource plan.": "Menschen, Räume, Material und Geld, die Sie brauchen, aus dem Ressourcenplan.",  # noqa: E501
    "Organisation and team": "Organisation und Team",
    "Who does what.": "Wer macht was.",
    "Plan": "Plan",
    "The steps and dates, from the work plan.": "Die Schritte und Termine, aus dem Arbeitsplan.",
    "Finances": "Finanzen",
    "Notes on the numbers: where the money comes from and what it pays for.": "Erläuterungen zu den Zahlen: woher das Geld kommt und wofür es ausgegeben wird.",  # noqa: E501
    "Business plan for banks and investors": "Businessplan für Banken und Geldgeber",
    "Social Reporting Standard (for non-profits)": "Social Reporting Standard (für Gemeinnützige)",
    "the project's short description": "der Kurzbeschreibung des Projekts",
    "the project's team": "dem Team des Projekts",
    "the work plan": "dem Arbeitsplan",
    "the resource plan": "dem Ressourcenplan",
    "the finance plan": "dem Finanzplan",
    "the project profile: problem": "dem Projektprofil: Problem",
    "the project profile: description": "dem Projektprofil: Beschreibung",
    "the project profile: target groups": "dem Projektprofil: Zielgruppen",
    "the project profile: local reference": "dem Projektprofil: Ortsbezug",
    "the project profile: expected results": "dem Projektprofil: erwartete Ergebnisse",
    "the project profile: effects": "dem Projektprofil: Wirkungen",
    "the project profile: vision": "dem Projektprofil: Vision",
    "Registered association (e.V.)": "Eingetragener Verein (e. V.)",
    "No minimum capital; 7 members to register; registration certified by a notary.": "Kein Mindestkapital; 7 Mitglieder für die Eintragung; Anmeldung notariell beglaubigt.",  # noqa: E501
    "Non-profit limited company (gGmbH)": "Gemeinnützige GmbH (gGmbH)",
    "25,000 € share capital, half of it paid in at the founding; one founder or more; notarised; the charitable purpose in the statutes.": "25.000 € Stammkapital, die Hälfte bei der Gründung eingezahlt; eine Person oder mehr; notariell beurkundet; der gemeinnützige Zweck in der Satzung.",  # noqa: E501
    "Entrepreneurial company (UG, limited liability)": "Unternehmergesellschaft (UG haftungsbeschränkt)",
    "From 1 € share capital, in cash; one founder or more; notarised; a quarter of each year's profit goes to a reserve.": "Ab 1 € Stammkapital, in bar; eine Person oder mehr; notariell beurkundet; ein Viertel jedes Jahresgewinns geht in eine Rücklage.",  # noqa: E501
    "Registered cooperative (eG)": "Eingetragene Genossenschaft (eG)",
    "No minimum capital; 3 members or more; an auditing association's opinion; certified application.": "Kein Mindestkapital; 3 Mitglieder oder mehr; Gutachten eines Prüfungsverbands; beglaubigte Anmeldung.",  # noqa: E501
    "Work packages:": "Arbeitspakete:",
    "Milestones:": "Meilensteine:",
    "The project's finance plan: costs %(costs)s, financing %(financing)s.": "Der Finanzplan des Projekts: Kosten %(costs)s, Finanzierung %(financing)s.",  # noqa: E501
    "Please choose an outline.": "Bitte wählen Sie eine Gliederung.",
    "This project has a business plan already.": "Dieses Projekt hat schon einen Businessplan.",
    "Someone else changed the business plan in the meantime. Your text is still in the field: copy it, reload the page and add it again.": "Jemand anderes hat den Businessplan in der Zwischenzeit geändert. Ihr Text steht noch im Feld: Kopieren Sie ihn, laden Sie die Seite neu und fügen Sie ihn wieder ein.",  # noqa: E501
    "This section does not exist.": "Diesen Abschnitt gibt es nicht.",
    "Please keep it to %(count)d characters.": "Bitte höchstens %(count)d Zeichen.",
    "This section is not taken from the project.": "Dieser Abschnitt wird nicht aus dem Projekt übernommen.",  # noqa: E501
    "Funding approved (application %(ref)s)": "Bewilligte Förderung (Antrag %(ref)s)",
    "Material and goods": "Material und Waren",
    "Gross profit": "Rohertrag",
    "Staff": "Personal",
    "Rent and rooms": "Miete und Räume",
    "Other costs": "Sonstige Kosten",
    "Start-up costs": "Gründungskosten",
    "Depreciation": "Abschreibungen",
    "Interest": "Zinsen",
    "Profit before tax": "Gewinn vor Steuern",
    "Taxes": "Steuern",
    "Profit after tax": "Gewinn nach Steuern",
    "Account at the start": "Kontostand am Anfang",
    "Own funds": "Eigenmittel",
    "Loans": "Darlehen",
    "Grants": "Zuschüsse",
    "Donations": "Spenden",
    "Money in": "Einzahlungen",
    "Investments": "Investitionen",
    "Repayment": "Tilgung",
    "Money out": "Auszahlungen",
    "Account at the end": "Kontostand am Ende",
    "Year %(number)d": "Jahr %(number)d",
    "Month %(number)d": "Monat %(number)d",
    "Cash reserve": "Liquiditätsreserve",
    "Capital need": "Kapitalbedarf",
    "Financing": "Finanzierung",
    "Financing less capital need": "Finanzierung abzüglich Kapitalbedarf",
    "Fixed costs": "Fixkosten",
    "Variable costs": "Variable Kosten",
    "The financing does not cover the capital need: %(amount)s are missing.": "Die Finanzierung deckt den Kapitalbedarf nicht: Es fehlen %(amount)s.",  # noqa: E501
    "“%(name)s” sells below its direct cost: each unit loses %(amount)s.": "„%(name)s“ wird unter den direkten Kosten verkauft: Jede Einheit bringt %(amount)s Verlust.",  # noqa: E501
    "The account goes below zero in month %(month)d of year %(year)d. At its lowest (month %(low_month)d of year %(low_year)d) %(amount)s are missing: plan more own funds, a loan or a larger reserve.": "Das Konto fällt im Monat %(month)d des Jahres %(year)d unter Null. Am tiefsten Punkt (Monat %(low_month)d des Jahres %(low_year)d) fehlen %(amount)s: Planen Sie mehr Eigenmittel, ein Darlehen oder eine größere Reserve ein.",  # noqa: E501
    "In year %(year)d the business does not earn enough to pay interest and repayment of its loans: %(amount)s are missing.": "Im Jahr %(year)d erwirtschaftet das Vorhaben nicht genug für Zinsen und Tilgung seiner Darlehen: Es fehlen %(amount)s.",  # noqa: E501
    "The business plan is started. Its texts come from your project: check each of them.": "Der Businessplan ist angelegt. Seine Texte stammen aus Ihrem Projekt: Prüfen Sie jeden davon.",  # noqa: E501
    "The outline is changed.": "Die Gliederung ist geändert.",
    "The business plan is public now: everyone can read it.": "Der Businessplan ist jetzt öffentlich: Alle können ihn lesen.",  # noqa: E501
    "The business plan is for the team only now.": "Der Businessplan ist jetzt nur für das Team sichtbar.",  # noqa: E501
    "Please send the form again.": "Bitte senden Sie das Formular noch einmal.",
    "The section “%(title)s” is saved.": "Der Abschnitt „%(title)s“ ist gespeichert.",
    "The text is taken from the project again.": "Der Text ist erneut aus dem Projekt übernommen.",
    "Someone else changed the business plan in the meantime. Your entries are still in the form: check them and save again.": "Jemand anderes hat den Businessplan in der Zwischenzeit geändert. Ihre Eingaben stehen noch im Formular: Prüfen Sie sie und speichern Sie noch einmal.",  # noqa: E501
    "The numbers are saved and the plans computed.": "Die Zahlen sind gespeichert und die Pläne berechnet.",
    "Business plan: %(title)s": "Businessplan: %(title)s",
    "Inputs": "Eingaben",
    "Months": "Monate",
    "Profitability": "Rentabilität",
    "Liquidity": "Liquidität",
    "Break-even": "Gewinnschwelle",
    "Amount": "Betrag",
    "Details": "Angaben",
    "All amounts net, in euros.": "Alle Beträge netto, in Euro.",
    "Price": "Kaufpreis",
    "Interest a year": "Zinssatz pro Jahr",
    "Months without repayment": "Tilgungsfreie Monate",
    "Products and services": "Produkte und Leistungen",
    "Net price per unit": "Nettopreis je Einheit",
    "Direct cost per unit": "Direkte Kosten je Einheit",
    "Running costs a year": "Laufende Kosten pro Jahr",
    "Taxes on profit": "Steuern auf den Gewinn",
    "Capital need and financing": "Kapitalbedarf und Finanzierung",
    "Item": "Posten",
    "Monthly units, running costs, write-offs and repayments are the yearly inputs spread evenly (whole cents or units, the remainder in the first months).": "Monatliche Mengen, laufende Kosten, Abschreibungen und Tilgungen sind die Jahreswerte, gleichmäßig verteilt (ganze Cent oder Stück, der Rest in den ersten Monaten).",  # noqa: E501
    "Units: %(name)s": "Menge: %(name)s",
    "Revenue: %(name)s": "Umsatz: %(name)s",
    "Direct costs: %(name)s": "Direkte Kosten: %(name)s",
    "Depreciation: %(name)s": "Abschreibung: %(name)s",
    "Owed at the month's start: %(name)s": "Restschuld am Monatsanfang: %(name)s",
    "Interest: %(name)s": "Zinsen: %(name)s",
    "Repayment: %(name)s": "Tilgung: %(name)s",
    "Owed at the month's end: %(name)s": "Restschuld am Monatsende: %(name)s",
    "Profitability forecast": "Rentabilitätsvorschau",
    "Liquidity plan": "Liquiditätsplan",
    "Revenue needed to break even": "Umsatz an der Gewinnschwelle",
    "Project sections": "Bereiche des Projekts",
    "Overview": "Übersicht",
    "Legal forms in short": "Rechtsformen in Kürze",
    "A notary, a tax adviser or the chamber (IHK) will tell you what applies to you.": "Was für Sie gilt, sagen Ihnen ein Notariat, eine Steuerberatung oder die Kammer (IHK).",  # noqa: E501
    "Source": "Quelle",
    "Profitability forecast for three years": "Rentabilitätsvorschau für drei Jahre",
    "Liquidity plan, year 1 by month": "Liquiditätsplan, 1. Jahr nach Monaten",
    "Liquidity plan by year": "Liquiditätsplan nach Jahren",
    "Without revenue there is no break-even to show.": "Ohne Umsatz gibt es keine Gewinnschwelle zu zeigen.",  # noqa: E501
    "Break-even by year": "Gewinnschwelle nach Jahren",
    ("%(num)d point a bank will ask about", "%(num)d points a bank will ask about"): (
        "%(num)d Punkt, nach dem eine Bank fragen wird",
        "%(num)d Punkte, nach denen eine Bank fragen wird",
    ),
    "Financial plans": "Finanzpläne",
    "Back to the business plan": "Zurück zum Businessplan",
    "Change the numbers": "Zahlen ändern",
    "Computed from the numbers entered: amounts net, in euros; taxes simplified.": "Berechnet aus den eingegebenen Zahlen: Beträge netto, in Euro; Steuern vereinfacht.",  # noqa: E501
    "No warnings: the account stays above zero, the loans can be served and every price covers its direct cost.": "Keine Warnungen: Das Konto bleibt über Null, die Darlehen können bedient werden und jeder Preis deckt seine direkten Kosten.",  # noqa: E501
    "public": "öffentlich",
    "texts public, numbers for the team": "Texte öffentlich, Zahlen nur für das Team",
    "Everyone may read the texts; the numbers stay with the team": "Alle dürfen die Texte lesen; die Zahlen bleiben beim Team",  # noqa: E501
    "Everyone may read everything, numbers and downloads included": "Alle dürfen alles lesen, auch die Zahlen und die Downloads",  # noqa: E501
    "Please choose who may read the business plan.": "Bitte wählen Sie, wer den Businessplan lesen darf.",  # noqa: E501
    "Everyone can read the business plan's texts now; the numbers stay with the team.": "Alle können jetzt die Texte des Businessplans lesen; die Zahlen bleiben beim Team.",  # noqa: E501
    "The business plan is public now: everyone can read it, numbers included.": "Der Businessplan ist jetzt öffentlich: Alle können ihn lesen, auch die Zahlen.",  # noqa: E501
    "for the team only": "nur für das Team",
    "last changed %(when)s": "zuletzt geändert am %(when)s",
    "Enter the numbers": "Zahlen eingeben",
    "Download as PDF": "Als PDF herunterladen",
    "Download as spreadsheet (XLSX)": "Als Tabelle herunterladen (XLSX)",
    "Outline and who may read it": "Gliederung und wer ihn lesen darf",
    "Who may read the business plan?": "Wer darf den Businessplan lesen?",
    "Only the team (and the town's administrators)": "Nur das Team (und die Verwaltung der Stadt)",
    "Everyone: it is shown on the project's page": "Alle: Er wird auf der Seite des Projekts gezeigt",  # noqa: E501
    "Save who may read it": "Sichtbarkeit speichern",
    "Change the outline": "Gliederung ändern",
    "Texts you wrote stay when you change the outline.": "Ihre Texte bleiben erhalten, wenn Sie die Gliederung ändern.",  # noqa: E501
    "Contents": "Inhalt",
    "Taken from %(source)s.": "Übernommen aus %(source)s.",
    "Taken from %(source)s and edited since.": "Übernommen aus %(source)s und danach bearbeitet.",  # noqa: E501
    "Revenue in euros": "Umsatz in Euro",
    "Written for the business plan.": "Für den Businessplan geschrieben.",
    "The project changed here since this text was taken.": "Das Projekt hat sich hier geändert, seit dieser Text übernommen wurde.",  # noqa: E501
    "Take the project's text again": "Text erneut aus dem Projekt übernehmen",
    "Not written yet.": "Noch nicht geschrieben.",
    "Edit “%(title)s”": "„%(title)s“ bearbeiten",
    "The numbers": "Die Zahlen",
    "Enter what you expect; the capital need, the profitability forecast for three years and the liquidity plan are computed from it. Amounts are net (without VAT), in euros. Leave lines you do not need empty; after saving there are new empty lines.": "Geben Sie ein, was Sie erwarten; Kapitalbedarf, Rentabilitätsvorschau für drei Jahre und Liquiditätsplan werden daraus berechnet. Beträge netto (ohne Umsatzsteuer), in Euro. Lassen Sie Zeilen, die Sie nicht brauchen, leer; nach dem Speichern gibt es neue leere Zeilen.",  # noqa: E501
    "Please check your entries": "Bitte prüfen Sie Ihre Eingaben",
    "Things you buy to use for years: machines, furniture, a vehicle. They are written off over their useful life.": "Was Sie kaufen, um es jahrelang zu nutzen: Maschinen, Möbel, ein Fahrzeug. Es wird über die Nutzungsdauer abgeschrieben.",  # noqa: E501
    "Investment %(number)d": "Investition %(number)d",
    "Start-up cost %(number)d": "Gründungskosten %(number)d",
    "Loan %(number)d": "Darlehen %(number)d",
    "Grant %(number)d": "Zuschuss %(number)d",
    "Donation %(number)d": "Spende %(number)d",
    "Product or service %(number)d": "Produkt oder Leistung %(number)d",
    "One-off costs of the founding: notary, registration, advice, first advertising.": "Einmalige Kosten der Gründung: Notariat, Eintragung, Beratung, erste Werbung.",  # noqa: E501
    "Repaid in equal monthly parts; interest on what is still owed.": "In gleichen Monatsraten getilgt; Zinsen auf die Restschuld.",  # noqa: E501
    "Approved by the town's funding pots (counted automatically):": "Von den Fördertöpfen der Stadt bewilligt (wird automatisch gezählt):",  # noqa: E501
    "Each product or service with its net price, its direct cost per unit (material, goods) and how many units you expect to sell each year.": "Jedes Produkt und jede Leistung mit Nettopreis, direkten Kosten je Einheit (Material, Waren) und der Menge, die Sie in jedem Jahr verkaufen wollen.",  # noqa: E501
    "Save and compute": "Speichern und berechnen",
    "As of": "Stand",
    "What the project says": "Was im Projekt steht",
    "From %(source)s.": "Aus %(source)s.",
    "It changed since the text below was taken.": "Es hat sich geändert, seit der Text unten übernommen wurde.",  # noqa: E501
    "The project says nothing here yet.": "Im Projekt steht hierzu noch nichts.",
    "You can use Markdown: a blank line starts a paragraph, “- ” a list item.": "Sie können Markdown verwenden: Eine Leerzeile beginnt einen Absatz, „- “ einen Listenpunkt.",  # noqa: E501
    "Save": "Speichern",
    "Some projects outlive their funding and become a small enterprise, an association or a cooperative. A bank or a foundation then asks for a business plan.": "Manche Projekte leben über ihre Förderung hinaus und werden ein kleines Unternehmen, ein Verein oder eine Genossenschaft. Eine Bank oder Stiftung fragt dann nach einem Businessplan.",  # noqa: E501
    "Much of it is in your project already: its profile, team, work plan, resources and finances. The business plan starts with these texts; you check them, add what a bank asks for and enter the numbers. The plan is for your team only until you make it public.": "Vieles davon steht schon in Ihrem Projekt: Profil, Team, Arbeitsplan, Ressourcen und Finanzen. Der Businessplan beginnt mit diesen Texten; Sie prüfen sie, ergänzen, was eine Bank wissen will, und geben die Zahlen ein. Der Plan ist nur für Ihr Team sichtbar, bis Sie ihn öffentlich machen.",  # noqa: E501
    "Start the business plan": "Businessplan beginnen",
}


if __name__ == "__main__":
    with open(HERE / "messages.pot", "rb") as f:
        catalog = read_po(f, locale="de")
    catalog.fuzzy = False  # the .pot header is fuzzy; pybabel compile skips fuzzy catalogues
    missing = []
    for message in catalog:
        if message.id:
            message.string = DE.get(message.id, "")  # type: ignore[arg-type]
            if not message.string:
                missing.append(message.id)
    (HERE / "de" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    with open(HERE / "de" / "LC_MESSAGES" / "messages.po", "wb") as f:
        write_po(f, catalog, width=100)
    print("untranslated:", missing)
