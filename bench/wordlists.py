"""German word lists for the benchmark's seed data (bench/seed.py).

Titles, pitches and descriptions are assembled from these, so a search for
"Garten", "Fahrrad" or "Senioren" finds a realistic share of each town's
projects, and the stemmed index sees real German inflections.
"""

from __future__ import annotations

TOWN_PREFIXES = [
    "Linden", "Eichen", "Buchen", "Birken", "Ahorn", "Tannen", "Erlen", "Weiden", "Rosen",
    "Sonnen", "Wiesen", "Berg", "Brunn", "Stein", "Mühl", "Kirch", "Alten", "Neuen", "Hohen",
    "Falken", "Hirsch", "Wolfs", "Fuchs", "Bären", "Kranich", "Lerchen", "Quell", "Hasel",
]  # fmt: skip
TOWN_SUFFIXES = [
    "au", "feld", "heim", "hausen", "dorf", "berg", "stadt", "bach", "burg", "hagen", "tal",
    "rode", "stedt", "brück", "wald", "hofen",
]  # fmt: skip

DISTRICTS = [
    "Altstadt", "Neustadt", "Nordviertel", "Südheide", "Oberdorf", "Unterdorf", "Mühlenweg",
    "Kirchberg", "Bahnhofsviertel", "Lindenhof", "Sonnenhang", "Westend", "Hafen", "Gartenstadt",
    "Am Markt", "Schlossberg", "Auenviertel", "Feldmark", "Wiesengrund", "Eichkamp",
]  # fmt: skip

CATEGORIES = [
    "Umwelt", "Kultur", "Soziales", "Sport", "Bildung", "Mobilität", "Energie", "Nachbarschaft",
    "Jugend", "Senioren", "Digitales", "Stadtgrün",
]  # fmt: skip

FIRST_NAMES = [
    "Anna", "Lena", "Sophie", "Marie", "Hannah", "Emma", "Mia", "Laura", "Julia", "Katharina",
    "Sabine", "Petra", "Monika", "Ursula", "Birgit", "Claudia", "Fatima", "Aylin", "Elif",
    "Zeynep", "Olga", "Natalia", "Agnieszka", "Ingrid", "Gisela", "Renate", "Heike", "Andrea",
    "Lukas", "Jonas", "Leon", "Felix", "Maximilian", "Paul", "Tim", "Jan", "Niklas", "Tobias",
    "Thomas", "Michael", "Andreas", "Stefan", "Frank", "Jürgen", "Klaus", "Wolfgang", "Mehmet",
    "Ahmet", "Emre", "Can", "Dariusz", "Piotr", "Sergej", "Dimitri", "Matthias", "Christian",
    "Björn", "Sören", "Uwe", "Horst",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
    "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Yılmaz", "Kaya", "Demir", "Şahin",
    "Kowalski", "Nowak", "Lindner", "Jäger", "Vogel", "Brandt",
]  # fmt: skip

BUSINESSES = [
    "Bäckerei {last}", "Gärtnerei {last}", "Fahrradladen {last}", "Elektro {last} GmbH",
    "Buchhandlung {last}", "Tischlerei {last}", "Café am {district}", "Apotheke am {district}",
    "Stadtwerke {town}", "Sparkasse {town}", "Malerbetrieb {last}", "Hofladen {last}",
    "Reisebüro {last}", "Physiotherapie {last}", "Brauerei {town}", "Dachdecker {last} & Söhne",
]  # fmt: skip
ADMINISTRATIONS = [
    "Amt für Bürgerbeteiligung", "Grünflächenamt", "Jugendamt", "Ordnungsamt", "Kulturamt",
    "Stadtteilbüro {district}", "Amt für Stadtentwicklung", "Sozialamt", "Umweltamt",
    "Bauhof", "Schulamt", "Klimaschutzmanagement", "Ortsvorsteherin {district}",
]  # fmt: skip

SKILLS = [
    "Gärtnern", "Handwerk", "Elektronik", "Reparieren", "Fotografie", "Social Media",
    "Pressearbeit", "Buchhaltung", "Fördermittel", "Moderation", "Kochen", "Backen",
    "Programmieren", "Webdesign", "Grafikdesign", "Musik", "Theater", "Kinderbetreuung",
    "Übersetzen", "Türkisch", "Englisch", "Arabisch", "Ukrainisch", "Rechtsberatung",
    "Veranstaltungstechnik", "Fahrradreparatur", "Imkerei", "Tischlern", "Malen", "Nähen",
    "Erste Hilfe", "Projektmanagement", "Fundraising", "Baumpflege", "Solartechnik",
    "Lastenrad fahren", "Organisation", "Catering", "Räume", "Transport",
]  # fmt: skip

BIO_SENTENCES = [
    "Ich wohne seit {n} Jahren hier und möchte mich mehr einbringen.",
    "In meiner Freizeit bin ich gern im Garten oder mit dem Fahrrad unterwegs.",
    "Ich habe zwei Kinder und wünsche mir mehr Spielplätze im Viertel.",
    "Seit meiner Rente habe ich Zeit für Ehrenamt und neue Ideen.",
    "Ich arbeite im Handwerk und packe gern mit an.",
    "Als Studentin suche ich Projekte, bei denen ich etwas lernen kann.",
    "Wir sind ein kleiner Familienbetrieb und unterstützen gern Vereine vor Ort.",
    "Ich kümmere mich in der Verwaltung um Fördermittel und Genehmigungen.",
]  # fmt: skip

# (subject, gender) – the title's first part; "n", "f", "m" for the article.
SUBJECTS = [
    ("Gemeinschaftsgarten", "m"), ("Reparaturcafé", "n"), ("Bücherschrank", "m"),
    ("Spielplatz", "m"), ("Lastenrad-Verleih", "m"), ("Sommerkino", "n"),
    ("Nachbarschaftsfest", "n"), ("Bürgersolaranlage", "f"), ("Streuobstwiese", "f"),
    ("Jugendtreff", "m"), ("Mitfahrbank", "f"), ("Tauschbörse", "f"), ("Leseclub", "m"),
    ("Bienenweide", "f"), ("Trinkwasserbrunnen", "m"), ("Skatepark", "m"),
    ("Seniorencafé", "n"), ("Hochbeete", "p"), ("Kleiderkammer", "f"),
    ("Foodsharing-Regal", "n"), ("Fahrradwerkstatt", "f"), ("Kulturscheune", "f"),
    ("Dorfladen", "m"), ("Lauftreff", "m"), ("Insektenhotel", "n"), ("Baumpatenschaften", "p"),
    ("Wanderweg", "m"), ("Heimatmuseum", "n"), ("Sprachcafé", "n"), ("Hausaufgabenhilfe", "f"),
    ("Bolzplatz", "m"), ("Bouleplatz", "m"), ("Naturlehrpfad", "m"), ("Theatergruppe", "f"),
    ("Stadtteilchor", "m"), ("Computersprechstunde", "f"), ("Nachbarschaftshilfe", "f"),
    ("Carsharing", "n"), ("Ladesäule", "f"), ("Repair-Treff", "m"), ("Kinderbauernhof", "m"),
    ("Schulgarten", "m"), ("Weihnachtsmarkt", "m"), ("Flohmarkt", "m"), ("Stadtputz", "m"),
    ("Blühstreifen", "p"), ("Wildblumenwiese", "f"), ("Boule-Turnier", "n"),
    ("Open-Air-Konzert", "n"), ("Trimm-dich-Pfad", "m"), ("Hundewiese", "f"),
    ("Gemeinschaftsküche", "f"), ("Tafel", "f"), ("Werkraum", "m"), ("Nähcafé", "n"),
    ("Radweg", "m"), ("Zebrastreifen", "m"), ("Sitzbänke", "p"), ("Stadtarchiv online", "n"),
    ("Dorf-WLAN", "n"), ("Pflanzentauschbörse", "f"), ("Krabbelgruppe", "f"),
]  # fmt: skip
TITLE_PATTERNS = [
    "{subject} in {district}",
    "{subject} für {district}",
    "{adj} {subject}",
    "{subject} am {place}",
    "{subject} – {tagline}",
    "{subject} {district}",
    "Mehr {plural} für {district}",
]  # fmt: skip
ADJECTIVES = {
    "m": ["Neuer", "Offener", "Grüner", "Kleiner", "Gemeinsamer", "Barrierefreier", "Bunter"],
    "f": ["Neue", "Offene", "Grüne", "Kleine", "Gemeinsame", "Barrierefreie", "Bunte"],
    "n": ["Neues", "Offenes", "Grünes", "Kleines", "Gemeinsames", "Barrierefreies", "Buntes"],
    "p": ["Neue", "Offene", "Grüne", "Kleine", "Gemeinsame", "Barrierefreie", "Bunte"],
}
PLACES = [
    "Marktplatz", "Bahnhof", "Rathaus", "Stadtpark", "Friedhof", "Sportplatz", "Schulhof",
    "Dorfteich", "Kirchplatz", "Hafenbecken", "Waldrand", "Bürgerhaus", "Gemeindezentrum",
]  # fmt: skip
TAGLINES = [
    "von Nachbarn für Nachbarn", "gemeinsam statt einsam", "jetzt mitmachen",
    "für Jung und Alt", "klimafreundlich und günstig", "ein Ort für alle",
    "mach mit", "Ideen gesucht", "mit Unterstützung der Stadt",
]  # fmt: skip
PLURALS = [
    "Bäume", "Bänke", "Fahrradständer", "Blumen", "Spielgeräte", "Mülleimer", "Treffpunkte",
    "Radwege", "Sitzplätze", "Laternen", "Trinkbrunnen",
]  # fmt: skip

PITCHES = [
    "Wir wollen {what} und suchen Menschen, die mit anpacken.",
    "{what_cap} – dafür brauchen wir Ideen, Hände und ein bisschen Geld.",
    "Unser Viertel braucht einen Ort, an dem {who} sich treffen können.",
    "Gemeinsam mit {who} möchten wir {what}.",
    "Seit Jahren fehlt in {district} ein Angebot für {who}. Das ändern wir jetzt.",
    "Aus einer Idee beim Nachbarschaftsfest wurde ein Plan: {what}.",
    "Wir sind eine Gruppe aus {district} und wollen {what}.",
]  # fmt: skip
WHAT = [
    "eine brachliegende Fläche in einen Garten verwandeln",
    "kaputte Geräte gemeinsam reparieren statt sie wegzuwerfen",
    "Bücher und Spiele kostenlos tauschen",
    "den Spielplatz sanieren und barrierefrei machen",
    "Lastenräder für alle ausleihbar machen",
    "im Sommer Filme unter freiem Himmel zeigen",
    "Solarstrom auf dem Dach der Schule erzeugen",
    "alte Obstsorten pflanzen und pflegen",
    "Jugendlichen einen eigenen Raum geben",
    "Senioren beim Einkaufen und bei Behördengängen helfen",
    "Lebensmittel retten und verteilen",
    "Fahrräder reparieren und an Geflüchtete verschenken",
    "Bienen und Insekten einen Lebensraum bieten",
    "einen Trinkbrunnen am Marktplatz aufstellen",
    "Kindern bei den Hausaufgaben helfen",
    "einen sicheren Schulweg mit Zebrastreifen schaffen",
    "Konzerte und Lesungen in der alten Scheune veranstalten",
    "den Wanderweg am Fluss wieder begehbar machen",
    "Bäume pflanzen und Patenschaften für die Pflege vergeben",
    "ein Sprachcafé für Zugezogene anbieten",
]  # fmt: skip
WHO = [
    "Kinder", "Jugendliche", "Familien", "Senioren", "Nachbarn", "Geflüchtete", "Studierende",
    "Vereine", "Alleinerziehende", "Menschen mit Behinderung", "Neuzugezogene", "Gärtner",
]  # fmt: skip

DESCRIPTION_SENTENCES = [
    "Die Idee entstand bei einem Treffen im {place}, als viele {who} dasselbe Problem schilderten.",
    "Wir haben bereits mit dem Grünflächenamt gesprochen; die Fläche könnte uns kostenlos überlassen werden.",
    "Für den Anfang brauchen wir Werkzeug, Saatgut und ein paar Paletten für die Hochbeete.",
    "Die Stadt hat signalisiert, dass sie das Projekt aus dem Bürgerbudget fördern könnte.",
    "Jeden zweiten Samstag im Monat wollen wir uns treffen und gemeinsam arbeiten.",
    "Wer handwerklich geschickt ist, kann uns beim Bau der Bänke und Beete helfen.",
    "Besonders wichtig ist uns, dass auch {who} ohne viel Geld mitmachen können.",
    "Die Bäckerei an der Ecke hat versprochen, Kaffee und Kuchen für die Helfer zu spenden.",
    "Wir rechnen mit Kosten von etwa {euro} Euro für Material und Versicherung.",
    "Ein Antrag auf Fördermittel beim Land ist in Vorbereitung.",
    "Im Herbst soll die erste Ernte gemeinsam gefeiert werden.",
    "Die Schule hat ihren Hof für die Nachmittage angeboten.",
    "Das Fahrrad ist im Viertel das wichtigste Verkehrsmittel, doch Abstellplätze fehlen.",
    "Wir suchen noch Menschen, die sich um die Öffentlichkeitsarbeit kümmern.",
    "Der Verein für Heimatpflege unterstützt uns mit Erfahrung und Kontakten.",
    "Kinder aus der Grundschule haben Bilder gemalt, wie der Platz aussehen könnte.",
    "Die Energie für die Beleuchtung soll aus einer kleinen Solaranlage kommen.",
    "Regenwasser wird in Tonnen gesammelt und zum Gießen genutzt.",
    "Bei schlechtem Wetter können wir in das Gemeindezentrum ausweichen.",
    "Die Nachbarschaft wurde mit Flyern und einem Aushang im Supermarkt informiert.",
    "Für die Reparaturen brauchen wir Lötkolben, Schraubenzieher und Ersatzteile.",
    "Die Senioren aus dem Wohnstift freuen sich auf regelmäßige Besuche.",
    "Geplant sind auch Workshops zu Kompost, Imkerei und gesunder Ernährung.",
    "Die Verwaltung prüft gerade, ob eine Baugenehmigung nötig ist.",
    "Wir wollen Müll vermeiden und möglichst viel wiederverwenden.",
    "Jugendliche sollen die Gestaltung selbst in die Hand nehmen.",
    "Der Platz ist gut mit Bus und Bahn erreichbar.",
    "Ein Lastenrad hilft beim Transport von Erde, Pflanzen und Getränken.",
    "Wir dokumentieren alle Schritte mit Fotos, damit andere Orte nachmachen können.",
    "Die Kosten werden offen gelegt; jede Spende wird auf der Projektseite genannt.",
    "Im Winter planen wir einen Adventsmarkt mit selbstgemachten Geschenken.",
    "Sprachkenntnisse in Türkisch, Arabisch oder Ukrainisch sind sehr willkommen.",
    "Die Sparkasse hat eine Spende für das Material zugesagt.",
    "Für Kinder wird es einen eigenen Bereich mit Sandkasten und Kräuterbeet geben.",
    "Wir arbeiten eng mit dem Ortsbeirat zusammen.",
    "Die alten Obstbäume werden fachgerecht geschnitten und gepflegt.",
    "Nach dem Umbau soll der Weg auch mit Rollstuhl und Kinderwagen befahrbar sein.",
    "Wer mitmachen will, schreibt uns einfach hier auf der Projektseite.",
]  # fmt: skip
HEADINGS = [
    "Worum es geht", "Was wir vorhaben", "Was wir brauchen", "Wer wir sind", "Zeitplan",
    "Kosten und Förderung", "So kannst du helfen",
]  # fmt: skip
NEEDS = [
    "Werkzeug und Schubkarren", "Saatgut und Jungpflanzen", "eine Fläche von etwa 200 m²",
    "Hilfe bei der Pressearbeit", "einen Raum für Treffen", "Spenden für Material",
    "jemanden für die Buchhaltung", "einen Anhänger für den Transport", "Erfahrung mit Anträgen",
    "Menschen mit Zeit am Wochenende", "Holz für Bänke und Beete", "einen Stromanschluss",
]  # fmt: skip

TASKS = [
    "", "", "", "Kasse", "Pressearbeit", "Koordination", "Fördermittel", "Social Media",
    "Werkzeug", "Kontakt zur Stadt", "Protokoll", "Aufbau", "Fotos", "Kinderprogramm",
]  # fmt: skip

COMMENTS = [
    "Tolle Idee! Ich bin dabei.",
    "Wann ist das nächste Treffen?",
    "Ich kann am Wochenende mit anpacken.",
    "Habt ihr schon mit dem Ortsbeirat gesprochen?",
    "Ich habe noch Werkzeug im Keller, das ich spenden kann.",
    "Super, das hat in unserem Viertel wirklich gefehlt.",
    "Wie wollt ihr die Kosten für die Versicherung decken?",
    "Meine Kinder würden sich sehr freuen.",
    "Gibt es schon einen Zeitplan?",
    "Ich kenne jemanden beim Grünflächenamt, ich frage mal nach.",
    "Bitte denkt an die Barrierefreiheit!",
    "Können auch Senioren mitmachen?",
    "Wir als Verein unterstützen das gern.",
    "Ich finde den Standort nicht ideal, wäre der Stadtpark nicht besser?",
    "Danke für euer Engagement!",
]  # fmt: skip
UPDATES = [
    "Die Genehmigung ist da! Wir können loslegen.",
    "Beim ersten Arbeitseinsatz waren **{n} Leute** dabei. Danke an alle!",
    "Der Förderantrag wurde bewilligt: {euro} Euro für Material.",
    "Nächstes Treffen: Samstag um 10 Uhr am {place}.",
    "Wir haben die Bänke aufgebaut – kommt vorbei und probiert sie aus.",
    "Die Presse hat über uns berichtet. Den Artikel findet ihr im Stadtanzeiger.",
    "Leider mussten wir den Termin wegen Regen verschieben.",
]  # fmt: skip
HIDDEN_REASONS = ["Beleidigung", "Werbung", "persönliche Daten"]

#: Words the benchmark searches for (each finds a different share of projects).
SEARCH_WORDS = [
    "Garten", "Fahrrad", "Senioren", "Kinder", "Spielplatz", "Bienen", "Reparaturen", "Energie",
    "Bücher", "Jugendliche", "Konzert", "Bäume", "Lastenrad", "Sprachcafé", "Trinkbrunnen",
]  # fmt: skip
