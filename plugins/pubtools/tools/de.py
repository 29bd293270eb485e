"""The German catalogue of the Kneipentools: msgid -> German. Run it after
`pybabel extract` to write translations/de/LC_MESSAGES/messages.po; it fails for a
msgid without German (so no English slips onto a German page). Words the core
translates already are taken from the core's catalogue, so they read the same."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent.parent / "projektfabrik_pubtools" / "translations"

DE: dict[str, str | tuple[str, str]] = {
    "QR code that opens %(url)s": "QR-Code, der %(url)s öffnet",
    "%(section)s version %(number)d": "%(section)s, Version %(number)d",
    "Printed from the plan: %(versions)s": "Gedruckt aus dem Plan: %(versions)s",
    "Scan the code or type it in to put this sheet online:": "Code scannen oder eintippen, um diesen Bogen online einzutragen:",
    "Scan the code or type it in to publish your idea online:": "Code scannen oder eintippen, um Ihre Idee online zu veröffentlichen:",
    "Code from the sheet": "Code vom Bogen",
    "Please type in the code from the sheet.": "Bitte geben Sie den Code vom Bogen ein.",
    "Eight letters and digits, for example ABCD-EFGH.": "Acht Buchstaben und Ziffern, zum Beispiel ABCD-EFGH.",
    "Which sheet does it show?": "Welchen Bogen zeigt es?",
    "Photo or scan of the filled sheet": "Foto oder Scan des ausgefüllten Bogens",
    "Please choose a photo.": "Bitte wählen Sie ein Foto aus.",
    "People from the sign-in list": "Personen von der Anmeldeliste",
    "Please type in at least one person.": "Bitte tragen Sie mindestens eine Person ein.",
    "One person per line: name, comma, e-mail address. Only people who ticked the consent box.": "Eine Person pro Zeile: Name, Komma, E-Mail-Adresse. Nur Personen, die das Einwilligungsfeld angekreuzt haben.",
    "A few words for the invitation (optional)": "Ein paar Worte zur Einladung (freiwillig)",
    "Everyone on this list ticked the consent box on the sign-in list.": "Alle Personen auf dieser Liste haben auf der Anmeldeliste angekreuzt, dass sie kontaktiert werden möchten.",
    "Invite only people who agreed to be contacted.": "Laden Sie nur Personen ein, die einer Kontaktaufnahme zugestimmt haben.",
    "Pages (four cards each)": "Seiten (je vier Karten)",
    "Please give a number of pages.": "Bitte geben Sie eine Seitenzahl an.",
    "Between 1 and 50 pages.": "Zwischen 1 und 50 Seiten.",
    "Short text in the footer of every sheet": "Kurzer Text in der Fußzeile jedes Bogens",
    "The town's contact line": "Kontaktzeile der Kommune",
    "For example: Bürgerbüro, Rathaus Zimmer 3, 0351 123456": "Zum Beispiel: Bürgerbüro, Rathaus Zimmer 3, 0351 123456",
    "Offer the sheet “%(title)s”": "Bogen „%(title)s“ anbieten",
    "Pub tools": "Kneipentools",
    "Printable worksheets for each planning step, blank or prefilled, with a QR code that leads back to the right form; a kit for pub evenings and idea postcards.": "Arbeitsbögen zum Ausdrucken für jeden Planungsschritt, leer oder vorausgefüllt, mit QR-Code zurück zum passenden Formular; ein Stammtisch-Kit und Ideen-Postkarten.",
    "Idea postcards": "Ideen-Postkarten",
    "Please choose the sheet the photo shows.": "Bitte wählen Sie den Bogen, den das Foto zeigt.",
    "This line has no valid e-mail address.": "In dieser Zeile steht keine gültige E-Mail-Adresse.",
    "Please send at most %(n)d invitations at once.": "Bitte senden Sie höchstens %(n)d Einladungen auf einmal.",
    "Team finding": "Teamfindung",
    "Work in pairs: interview each other. What can you do, what do you like doing, what would you learn here? Then write down what the team still lacks.": "Arbeiten Sie zu zweit und befragen Sie sich gegenseitig: Was kannst du, was machst du gern, was würdest du hier gern lernen? Schreiben Sie dann auf, was dem Team noch fehlt.",
    "Team profile": "Teamprofil",
    "Who is in the team, who does what, and whom are you looking for?": "Wer ist im Team, wer macht was, und wen suchen Sie noch?",
    "Describe the project: one box per question, in your own words.": "Beschreiben Sie das Projekt: ein Kasten pro Frage, in Ihren eigenen Worten.",
    "Draw or write how the place looks when the project has worked. Who is there, what do they do, what has changed?": "Zeichnen oder schreiben Sie, wie der Ort aussieht, wenn das Projekt gelungen ist. Wer ist da, was tun die Menschen, was hat sich verändert?",
    "Which work packages are there, which tasks belong to them, who does what and by when? Add milestones: the days that matter.": "Welche Arbeitspakete gibt es, welche Aufgaben gehören dazu, wer macht was bis wann? Tragen Sie Meilensteine ein: die Tage, auf die es ankommt.",
    "Resources and financing": "Ressourcen und Finanzierung",
    "What do you need: people, material, rooms, money? What does it cost, and who pays for it?": "Was brauchen Sie: Menschen, Material, Räume, Geld? Was kostet es, und wer bezahlt es?",
    "PDF files cannot be made on this server at the moment.": "PDF-Dateien können auf diesem Server gerade nicht erstellt werden.",
    "A3 poster": "A3-Plakat",
    "A4 sheet": "A4-Bogen",
    "Show as %(size)s": "Als %(size)s anzeigen",
    "All sheets": "Alle Bögen",
    "Too many wrong codes. Please wait a quarter of an hour.": "Zu viele falsche Codes. Bitte warten Sie eine Viertelstunde.",
    "This code does not belong to any sheet of this town. Please check it.": "Dieser Code gehört zu keinem Bogen dieser Kommune. Bitte prüfen Sie ihn.",
    "Back to the pub tools of the project": "Zurück zu den Kneipentools des Projekts",
    "The photo is kept with the team's files.": "Das Foto liegt jetzt bei den Dateien des Teams.",
    "Table tent": "Tischaufsteller",
    "Sign-in list": "Anmeldeliste",
    "Agenda for the evening": "Ablauf des Abends",
    "Too many invitations from here. Please try again in an hour.": "Zu viele Einladungen von hier. Bitte versuchen Sie es in einer Stunde wieder.",
    "No line of the list has a valid e-mail address.": "Keine Zeile der Liste hat eine gültige E-Mail-Adresse.",
    "Invitations sent: %(n)d. Each person joins by confirming the mail.": "Einladungen verschickt: %(n)d. Jede Person tritt erst bei, wenn sie die E-Mail bestätigt.",
    "How the evening goes": "So läuft der Abend",
    "Welcome: who is here, what brought you?": "Begrüßung: Wer ist da, was hat euch hergebracht?",
    "The project in three sentences.": "Das Projekt in drei Sätzen.",
    "Open tasks: who takes on what?": "Offene Aufgaben: Wer übernimmt was?",
    "Skills we are looking for: who knows someone?": "Gesuchte Fähigkeiten: Wer kennt jemanden?",
    "Next meeting and who writes it down.": "Nächstes Treffen, und wer schreibt mit.",
    "Open tasks": "Offene Aufgaben",
    ("and %(num)d more task", "and %(num)d more tasks"): (
        "und %(num)d weitere Aufgabe",
        "und %(num)d weitere Aufgaben",
    ),
    "No open tasks in the work plan yet: collect them tonight.": "Noch keine offenen Aufgaben im Arbeitsplan: Sammeln Sie sie heute Abend.",
    "The team has not named any skills it is looking for yet.": "Das Team hat noch keine gesuchten Fähigkeiten genannt.",
    "Notes": "Notizen",
    "Postcard": "Postkarte",
    "Got an idea for %(town)s?": "Eine Idee für %(town)s?",
    "Write it down here, or put it online straight away:": "Schreiben Sie sie hier auf oder stellen Sie sie gleich online:",
    "A photo (JPEG, PNG, WebP) or a PDF scan, at most %(mb)d MB. It is kept with the team's files, visible to the team only.": "Ein Foto (JPEG, PNG, WebP) oder ein PDF-Scan, höchstens %(mb)d MB. Es liegt bei den Dateien des Teams und ist nur für das Team sichtbar.",
    "Keep the photo": "Foto ablegen",
    "Work packages": "Arbeitspakete",
    "What belongs to it": "Was dazugehört",
    "Tasks": "Aufgaben",
    "Printed on %(date)s": "Gedruckt am %(date)s",
    "What you need": "Was Sie brauchen",
    "What": "Was",
    "How many": "Wie viel",
    "Further costs": "Weitere Kosten",
    "Kind of cost": "Kostenart",
    "Source of money": "Geldquelle",
    "Who can do what?": "Wer kann was?",
    "What I can do": "Was ich kann",
    "What I would like to do or learn": "Was ich gern tun oder lernen möchte",
    "What does the team still lack?": "Was fehlt dem Team noch?",
    "The team": "Das Team",
    "owner": "Inhaber",
    "Whom are you looking for?": "Wen suchen Sie?",
    "What you wrote so far": "Was Sie bisher geschrieben haben",
    "Draw it here": "Hier zeichnen",
    "Empty space for drawing": "Leere Fläche zum Zeichnen",
    "In one sentence": "In einem Satz",
    "With a tick in the last column you agree that the team of “%(title)s” may write to you once by e-mail to invite you into the project on the platform of %(town)s. You only join if you confirm that invitation yourself; no account is made for you. The list is destroyed once the invitations are sent. You can withdraw your consent at any time by telling the team.": "Mit einem Kreuz in der letzten Spalte willigen Sie ein, dass das Team von „%(title)s“ Ihnen einmal per E-Mail schreiben darf, um Sie auf der Plattform von %(town)s in das Projekt einzuladen (Art. 6 Abs. 1 lit. a DSGVO). Sie treten nur bei, wenn Sie die Einladung selbst bestätigen; es wird kein Konto für Sie angelegt. Die Liste wird vernichtet, sobald die Einladungen verschickt sind. Sie können Ihre Einwilligung jederzeit widerrufen, indem Sie es dem Team sagen.",
    "E-mail": "E-Mail",
    "I agree to be contacted": "Ich bin mit der Kontaktaufnahme einverstanden",
    "Join the team: scan the code, or open %(page)s and type in": "Mitmachen im Team: Code scannen oder %(page)s öffnen und eintippen",
    "Ask us at the table how to join the team.": "Fragen Sie uns am Tisch, wie Sie im Team mitmachen können.",
    "Type in a code": "Code eingeben",
    "Every sheet carries a code next to its QR code. Type it in here to open the page where the sheet's content belongs.": "Jeder Bogen trägt neben dem QR-Code einen kurzen Code. Geben Sie ihn hier ein, um die Seite zu öffnen, auf die der Inhalt des Bogens gehört.",
    "Open the page": "Seite öffnen",
    "Worksheets for meetings in the pub, at the kitchen table or in a workshop. Print them, fill them in together, then put the results online: the code on each sheet leads to the right place.": "Arbeitsbögen für Treffen in der Kneipe, am Küchentisch oder in einer Werkstatt. Drucken Sie sie aus, füllen Sie sie gemeinsam aus und tragen Sie die Ergebnisse dann online ein: Der Code auf jedem Bogen führt an die richtige Stelle.",
    "Blank sheets": "Leere Bögen",
    "For everyone, also without an account. The code on a blank sheet leads to “Publish an idea”. Teams print their sheets prefilled with what they already have, on their project's “Pub tools” tab.": "Für alle, auch ohne Konto. Der Code auf einem leeren Bogen führt zu „Idee veröffentlichen“. Teams drucken ihre Bögen vorausgefüllt mit dem, was sie schon haben, im Reiter „Kneipentools“ ihres Projekts.",
    "Have a sheet with a code?": "Sie haben einen Bogen mit Code?",
    "Type in the code from the sheet": "Code vom Bogen eingeben",
    "Print idea postcards for pubs, libraries and the town hall": "Ideen-Postkarten für Kneipen, Bibliotheken und das Rathaus drucken",
    "Invite the people from the list": "Personen von der Liste einladen",
    "Type in the sign-in list of your pub evening. Each person gets the team's invitation by e-mail and joins only by confirming it with their own account: nobody gets an account without their consent.": "Tragen Sie die Anmeldeliste Ihres Stammtischs ein. Jede Person bekommt die Einladung des Teams per E-Mail und tritt nur bei, wenn sie diese mit ihrem eigenen Konto bestätigt: Niemand bekommt ohne Einwilligung ein Konto.",
    ("%(num)d invitation sent.", "%(num)d invitations sent."): (
        "%(num)d Einladung verschickt.",
        "%(num)d Einladungen verschickt.",
    ),
    "Not invited:": "Nicht eingeladen:",
    "Line %(line)d (%(text)s): %(message)s": "Zeile %(line)d (%(text)s): %(message)s",
    "Send the invitations": "Einladungen verschicken",
    "Sheet “%(sheet)s”": "Bogen „%(sheet)s“",
    "Printed on %(date)s for “%(title)s”.": "Gedruckt am %(date)s für „%(title)s“.",
    "The plan has changed since this sheet was printed.": "Der Plan hat sich geändert, seit dieser Bogen gedruckt wurde.",
    "%(section)s: printed from version %(printed)d, now version %(now)d.": "%(section)s: gedruckt aus Version %(printed)d, jetzt Version %(now)d.",
    "Compare before you type in, so that nothing someone else added gets lost.": "Vergleichen Sie vor dem Eintragen, damit nichts verloren geht, was andere inzwischen ergänzt haben.",
    "Nothing in the plan has changed since the sheet was printed.": "Seit dem Druck hat sich im Plan nichts geändert.",
    "Type in the sheet now": "Bogen jetzt eintragen",
    "The form lists its fields in the order of the sheet.": "Das Formular hat seine Felder in derselben Reihenfolge wie der Bogen.",
    "Keep a photo of the sheet": "Foto des Bogens ablegen",
    "No time to type it in? Take a photo of the filled sheet, so nothing written on paper is lost.": "Keine Zeit zum Eintragen? Fotografieren Sie den ausgefüllten Bogen, damit nichts verloren geht, was auf Papier steht.",
    "PDF not available": "PDF nicht verfügbar",
    "Please use the print view and your browser's print function.": "Bitte nutzen Sie die Druckansicht und die Druckfunktion Ihres Browsers.",
    "Back to the pub tools": "Zurück zu den Kneipentools",
    "Blank cards with the town's code for “Publish an idea”, to lay out in pubs, libraries and the town hall. Four cards on each A4 page, to cut along the dashed lines.": "Leere Karten mit dem Code der Kommune für „Idee veröffentlichen“, zum Auslegen in Kneipen, Bibliotheken und im Rathaus. Vier Karten pro A4-Seite, entlang der gestrichelten Linien zu schneiden.",
    "Make the PDF": "PDF erstellen",
    "Preview": "Vorschau",
    "Download as PDF": "Als PDF herunterladen",
    "Sheets for your next meeting, prefilled with what the team already has. Empty rows are left for the rest; the code on each sheet leads back to the right form.": "Bögen für Ihr nächstes Treffen, vorausgefüllt mit dem, was das Team schon hat. Für den Rest bleiben leere Zeilen; der Code auf jedem Bogen führt zurück zum passenden Formular.",
    "Prefilled sheets": "Vorausgefüllte Bögen",
    "Photos of filled sheets": "Fotos ausgefüllter Bögen",
    "No photos yet.": "Noch keine Fotos.",
    "Pub evening kit": "Stammtisch-Kit",
    "the project's pitch and the team's join code.": "die Kurzbeschreibung des Projekts und der Beitrittscode des Teams.",
    "The team has no join code yet.": "Das Team hat noch keinen Beitrittscode.",
    "Create the join code": "Beitrittscode erstellen",
    "Ask an owner of the project to create one.": "Bitten Sie eine Inhaberin oder einen Inhaber des Projekts, einen zu erstellen.",
    "Table tent: print view": "Tischaufsteller: Druckansicht",
    "Table tent as PDF": "Tischaufsteller als PDF",
    "name, e-mail and consent to be contacted.": "Name, E-Mail und Einwilligung zur Kontaktaufnahme.",
    "Sign-in list: print view": "Anmeldeliste: Druckansicht",
    "Sign-in list as PDF": "Anmeldeliste als PDF",
    "the open tasks and the skills you are looking for.": "die offenen Aufgaben und die gesuchten Fähigkeiten.",
    "Agenda: print view": "Ablauf: Druckansicht",
    "Agenda as PDF": "Ablauf als PDF",
    "Your sheet is being made": "Ihr Bogen wird erstellt",
    "“%(sheet)s” as %(size)s is being made from the current plan. This can take a few seconds; the download then starts by itself.": "„%(sheet)s“ als %(size)s wird aus dem aktuellen Plan erstellt. Das kann einige Sekunden dauern; danach beginnt der Download von selbst.",
    "If it does not start:": "Falls nicht:",
    "Download the PDF": "PDF herunterladen",
    "Type in the financing": "Finanzierung eintragen",
    "What changed in “%(section)s”": "Was sich in „%(section)s“ geändert hat",
    "A4 print view": "Druckansicht A4",
    "A4 as PDF": "A4 als PDF",
    "A3 poster as PDF": "A3-Plakat als PDF",
}


def main() -> int:
    with open(HERE / "messages.pot", "rb") as handle:
        template = read_po(handle)
    core_po = HERE.parents[3] / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    with open(core_po, "rb") as handle:
        core = read_po(handle)
    catalog = Catalog(locale="de", project="projektfabrik-pubtools")
    missing = []
    for message in template:
        if not message.id:
            continue
        german = DE.get(message.id)  # type: ignore[arg-type]
        if german is None and core.get(message.id) is not None:
            german = core.get(message.id).string  # the core's word: the same everywhere
        if german is None:
            missing.append(message.id)
            continue
        catalog.add(message.id, german, locations=message.locations, flags=message.flags)
    if missing:
        print("no German for:", *missing, sep="\n  ")
        return 1
    out = HERE / "de" / "LC_MESSAGES" / "messages.po"
    with open(out, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
