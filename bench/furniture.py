"""Fictional outlets and their page furniture, used by make_corpus.py.

Everything in this file was written for the dedup benchmark: the outlet
names, domains, newsletter promos, teaser templates, share/follow lines,
copyright footers and "continue reading" tails are invented.  The domains
all end in `.example` (RFC 2606).  `{h}` in a teaser template is replaced by
the headline of another article of the same language; `{year}` in a footer
by the year of the copy's date.

Promos that end without punctuation imitate the truncated promo blocks that
scrapers leave behind ("... Sign up to get the latest news and").
"""

OUTLETS = [
    # ---------------------------------------------------------------- en
    dict(
        slug="harbor-ledger", name="Harbor Ledger", domain="harborledger.example", lang="en",
        sections=["world", "business", "politics", "uk-news", "science"],
        promos=[
            "Harbor Ledger Morning Brief: the five stories you need before breakfast, delivered free. Sign up now",
            "Get the Morning Brief newsletter Sign up for the top headlines every weekday at 6am and",
        ],
        teasers=["READ MORE: {h}", "\u201c{h}\u201d: Learn more"],
        share=["Share this article Facebook X WhatsApp Email"],
        follow=["Follow Harbor Ledger on X, Threads and Instagram for breaking news."],
        footer="\u00a9 {year} Harbor Ledger Media Ltd. All rights reserved.",
        more=["Continue reading on Harbor Ledger \u00bb", "To read the full story, visit harborledger.example"],
    ),
    dict(
        slug="northfield-courier", name="The Northfield Courier", domain="northfieldcourier.example", lang="en",
        sections=["news", "local", "nation-world", "money"],
        promos=[
            "Want more news like this? Subscribe to The Courier Daily and get our best reporting in your inbox.",
            "Newsletter: The Courier Daily Sign up to receive our editors' picks every evening, plus",
        ],
        teasers=["{h} Learn more", "RELATED: {h} \u2013 click here"],
        share=["Share: Facebook \u00b7 X \u00b7 LinkedIn \u00b7 Copy link"],
        follow=["Follow the Northfield Courier on Facebook and X."],
        footer=("Copyright \u00a9 {year} The Northfield Courier. All rights reserved. This material may not be "
                "published, broadcast, rewritten or redistributed."),
        more=["Continue reading \u2192", "Read the full article at northfieldcourier.example"],
    ),
    dict(
        slug="meridian-wire", name="Meridian Wire", domain="meridianwire.example", lang="en",
        sections=["markets", "world", "companies", "economy"],
        promos=[
            "Meridian Wire Markets newsletter: sign up for our free daily briefing on business and the economy.",
            "Never miss a story: turn on Meridian Wire alerts",
        ],
        teasers=["\u201c{h}\u201d Read more", "Also read: {h}"],
        share=["Share this story Twitter Facebook Reddit Email"],
        follow=["Follow Meridian Wire on Google News"],
        footer="\u00a9 {year} Meridian Wire Syndicate. Reproduction prohibited without permission.",
        more=["Click here to continue reading the full story.", "[\u2026] The full report is available to subscribers."],
    ),
    dict(
        slug="copperline-post", name="Copperline Post", domain="copperlinepost.example", lang="en",
        sections=["news", "world", "business", "environment"],
        promos=[
            "Sign up to Copperline Breaking: the biggest stories as they happen, straight to your inbox. Sign up",
            "Copperline Post Weekend newsletter Sign up for our weekend reads, sent every Saturday with",
        ],
        teasers=["Read next: {h}", "\u201c{h}\u201d Read more"],
        share=["Share on Facebook Share on X Share via Email"],
        follow=["Follow @CopperlinePost for live coverage."],
        footer="\u00a9 {year} Copperline Post Group. All rights reserved. Registered in England and Wales.",
        more=["Read the rest of this story at copperlinepost.example", "Continue reading"],
    ),
    # ---------------------------------------------------------------- fr
    dict(
        slug="echo-des-quais", name="L'\u00c9cho des Quais", domain="echodesquais.example", lang="fr",
        sections=["monde", "economie", "politique", "societe"],
        promos=[
            "Newsletter L'\u00c9cho du matin : recevez chaque jour l'essentiel de l'actualit\u00e9 dans votre bo\u00eete mail. Je m'inscris",
            "Abonnez-vous \u00e0 notre newsletter gratuite pour ne rien manquer de l'actualit\u00e9 r\u00e9gionale et",
        ],
        teasers=["Lire aussi : {h}", "\u00ab {h} \u00bb : en savoir plus"],
        share=["Partager cet article : Facebook Twitter WhatsApp E-mail"],
        follow=["Suivez L'\u00c9cho des Quais sur Instagram et sur X."],
        footer="\u00a9 L'\u00c9cho des Quais {year} \u2013 Tous droits r\u00e9serv\u00e9s",
        more=["Lire la suite de cet article sur echodesquais.example", "La suite est r\u00e9serv\u00e9e aux abonn\u00e9s."],
    ),
    dict(
        slug="veilleur-du-sud", name="Le Veilleur du Sud", domain="veilleurdusud.example", lang="fr",
        sections=["actualite", "international", "afrique", "eco"],
        promos=[
            "Recevez gratuitement la lettre d'information du Veilleur : l'essentiel de l'actualit\u00e9 chaque soir \u00e0 18 heures.",
            "Inscrivez-vous \u00e0 notre lettre \u00ab Le Veilleur \u00c9co \u00bb S'inscrire",
        ],
        teasers=["\u00c0 LIRE AUSSI \u2013 {h}", "{h} D\u00e9couvrir"],
        share=["Partager : Facebook \u00b7 X \u00b7 LinkedIn \u00b7 Copier le lien"],
        follow=["Retrouvez-nous sur Facebook et abonnez-vous \u00e0 notre cha\u00eene WhatsApp."],
        footer="Copyright \u00a9 {year} Le Veilleur du Sud. Reproduction interdite sans autorisation.",
        more=["Poursuivre la lecture", "Cet article est \u00e0 lire en int\u00e9gralit\u00e9 sur notre site."],
    ),
    # ---------------------------------------------------------------- de
    dict(
        slug="rheintaler-rundschau", name="Rheintaler Rundschau", domain="rheintaler-rundschau.example", lang="de",
        sections=["politik", "wirtschaft", "panorama", "region"],
        promos=[
            "Newsletter Rundschau am Morgen: Die wichtigsten Nachrichten aus der Region kostenlos jeden Morgen in Ihr Postfach. Jetzt anmelden",
            "Abonnieren Sie unseren kostenlosen Newsletter und erhalten Sie t\u00e4glich die wichtigsten",
        ],
        teasers=["Lesen Sie auch: {h}", "\u201e{h}\u201c \u2013 mehr dazu hier"],
        share=["Artikel teilen: Facebook | X | WhatsApp | E-Mail"],
        follow=["Folgen Sie der Rundschau auf Instagram und X."],
        footer="\u00a9 {year} Rheintaler Rundschau GmbH \u2013 Alle Rechte vorbehalten",
        more=["Weiterlesen auf rheintaler-rundschau.example", "Lesen Sie den vollst\u00e4ndigen Artikel mit Rundschau Plus."],
    ),
    dict(
        slug="nordlicht-nachrichten", name="Nordlicht Nachrichten", domain="nordlicht-nachrichten.example", lang="de",
        sections=["inland", "ausland", "wirtschaft", "kultur"],
        promos=[
            "Der Nordlicht-Newsletter: Einmal t\u00e4glich das Wichtigste aus Politik, Wirtschaft und Sport. Hier kostenlos abonnieren",
            "Keine Nachricht mehr verpassen \u2013 mit dem Push-Service der Nordlicht Nachrichten.",
        ],
        teasers=["Mehr zum Thema: {h}", "{h} Jetzt lesen"],
        share=["Teilen: Facebook \u00b7 X \u00b7 LinkedIn \u00b7 Link kopieren"],
        follow=["Nordlicht Nachrichten jetzt auch auf WhatsApp folgen"],
        footer="Copyright \u00a9 {year} Nordlicht Nachrichten. Vervielf\u00e4ltigung nur mit Genehmigung.",
        more=["Den ganzen Artikel lesen Sie hier.", "Weiterlesen"],
    ),
    # ---------------------------------------------------------------- tr
    dict(
        slug="bogazici-postasi", name="Bo\u011fazi\u00e7i Postas\u0131", domain="bogazicipostasi.example", lang="tr",
        sections=["gundem", "dunya", "ekonomi", "yasam"],
        promos=[
            "G\u00fcn\u00fcn en \u00f6nemli haberleri her sabah e-posta kutunuzda! Bo\u011fazi\u00e7i Postas\u0131 b\u00fcltenine hemen abone olun.",
            "B\u00fcltenimize kaydolun, geli\u015fmeleri ilk siz \u00f6\u011frenin ve",
        ],
        teasers=["\u0130LG\u0130L\u0130 HABER: {h}", "\u201c{h}\u201d Devam\u0131 i\u00e7in t\u0131klay\u0131n"],
        share=["PAYLA\u015e Facebook Twitter WhatsApp E-posta"],
        follow=["Bo\u011fazi\u00e7i Postas\u0131'n\u0131 Google News'te takip edin."],
        footer="\u00a9 {year} Bo\u011fazi\u00e7i Postas\u0131. T\u00fcm haklar\u0131 sakl\u0131d\u0131r. \u0130zinsiz kullan\u0131lamaz.",
        more=["Haberin devam\u0131 i\u00e7in t\u0131klay\u0131n", "Haberin tamam\u0131n\u0131 bogazicipostasi.example adresinde okuyun."],
    ),
    dict(
        slug="ege-manset", name="Ege Man\u015fet", domain="egemanset.example", lang="tr",
        sections=["son-dakika", "politika", "ekonomi", "spor"],
        promos=[
            "Ege Man\u015fet haber b\u00fclteni: B\u00f6lgeden son dakika geli\u015fmeleri \u00fccretsiz olarak e-postan\u0131za gelsin. Kaydol",
            "Son dakika bildirimleri i\u00e7in uygulamam\u0131z\u0131 indirin.",
        ],
        teasers=["Bunu da okuyun: {h}", "{h} Haberi okumak i\u00e7in t\u0131klay\u0131n"],
        share=["Payla\u015f: Facebook \u00b7 X \u00b7 WhatsApp \u00b7 Ba\u011flant\u0131y\u0131 kopyala"],
        follow=["Bizi Instagram ve X hesaplar\u0131m\u0131zdan takip edin."],
        footer="Copyright \u00a9 {year} Ege Man\u015fet. T\u00fcm haklar\u0131 sakl\u0131d\u0131r.",
        more=["Devam\u0131n\u0131 oku", "Yaz\u0131n\u0131n devam\u0131 i\u00e7in sitemizi ziyaret edin."],
    ),
    # ---------------------------------------------------------------- es
    dict(
        slug="gaceta-de-almendral", name="La Gaceta de Almendral", domain="gacetadealmendral.example", lang="es",
        sections=["internacional", "economia", "sociedad", "politica"],
        promos=[
            "Suscr\u00edbete al bolet\u00edn de La Gaceta y recibe cada ma\u00f1ana las noticias m\u00e1s importantes del d\u00eda. Darse de alta",
            "Recibe nuestro bolet\u00edn gratuito con lo m\u00e1s le\u00eddo de la semana y",
        ],
        teasers=["Lea tambi\u00e9n: {h}", "\u201c{h}\u201d: Saber m\u00e1s"],
        share=["Compartir en Facebook Twitter WhatsApp Correo"],
        follow=["S\u00edguenos en Instagram y en X."],
        footer="\u00a9 {year} La Gaceta de Almendral. Todos los derechos reservados.",
        more=["Sigue leyendo en gacetadealmendral.example", "Continuar leyendo"],
    ),
    dict(
        slug="cordillera-sur", name="Diario Cordillera Sur", domain="cordillerasur.example", lang="es",
        sections=["actualidad", "mundo", "economia", "deportes"],
        promos=[
            "Newsletter Cordillera al D\u00eda: la actualidad regional en tu correo, de lunes a viernes. Ap\u00fantate gratis",
            "\u00danete a nuestro canal de WhatsApp para recibir las \u00faltimas noticias.",
        ],
        teasers=["TE PUEDE INTERESAR: {h}", "{h} Leer m\u00e1s"],
        share=["Compartir: Facebook \u00b7 X \u00b7 LinkedIn \u00b7 Copiar enlace"],
        follow=["Sigue a Diario Cordillera Sur en Google Noticias"],
        footer="Copyright \u00a9 {year} Diario Cordillera Sur. Prohibida su reproducci\u00f3n total o parcial.",
        more=["Lee la noticia completa en nuestra web.", "Seguir leyendo"],
    ),
    # ---------------------------------------------------------------- pl
    dict(
        slug="kurier-nadwislanski", name="Kurier Nadwi\u015bla\u0144ski", domain="kuriernadwislanski.example", lang="pl",
        sections=["kraj", "swiat", "gospodarka", "region"],
        promos=[
            "Zapisz si\u0119 na newsletter Kuriera i codziennie rano otrzymuj najwa\u017cniejsze wiadomo\u015bci z regionu. Zapisz si\u0119",
            "Najwa\u017cniejsze informacje dnia prosto na Twoj\u0105 skrzynk\u0119. Zam\u00f3w bezp\u0142atny newsletter i",
        ],
        teasers=["Czytaj tak\u017ce: {h}", "\u201e{h}\u201d \u2013 Czytaj wi\u0119cej"],
        share=["Udost\u0119pnij: Facebook Twitter E-mail"],
        follow=["Obserwuj Kurier Nadwi\u015bla\u0144ski w Google News."],
        footer="\u00a9 {year} Kurier Nadwi\u015bla\u0144ski. Wszelkie prawa zastrze\u017cone.",
        more=["Czytaj dalej na kuriernadwislanski.example", "Pozosta\u0142a cz\u0119\u015b\u0107 artyku\u0142u dost\u0119pna dla subskrybent\u00f3w."],
    ),
    dict(
        slug="gazeta-bursztynowa", name="Gazeta Bursztynowa", domain="gazetabursztynowa.example", lang="pl",
        sections=["wiadomosci", "polityka", "biznes", "sport"],
        promos=[
            "Newsletter Gazety Bursztynowej: wieczorne podsumowanie dnia w Twojej skrzynce. Do\u0142\u0105cz za darmo",
            "Pobierz nasz\u0105 aplikacj\u0119 i w\u0142\u0105cz powiadomienia o najwa\u017cniejszych wydarzeniach.",
        ],
        teasers=["ZOBACZ TE\u017b: {h}", "{h} Przeczytaj"],
        share=["Udost\u0119pnij \u00b7 Facebook \u00b7 X \u00b7 Skopiuj link"],
        follow=["\u015aled\u017a nas na Facebooku i Instagramie."],
        footer="Copyright \u00a9 {year} Gazeta Bursztynowa. Kopiowanie bez zgody zabronione.",
        more=["Czytaj dalej", "Ca\u0142y artyku\u0142 przeczytasz na naszej stronie."],
    ),
    # ---------------------------------------------------------------- ru
    dict(
        slug="severny-vestnik", name="\u0421\u0435\u0432\u0435\u0440\u043d\u044b\u0439 \u0412\u0435\u0441\u0442\u043d\u0438\u043a",
        domain="severny-vestnik.example", lang="ru",
        sections=["news", "politics", "economy", "society"],
        promos=[
            "\u041f\u043e\u0434\u043f\u0438\u0448\u0438\u0442\u0435\u0441\u044c \u043d\u0430 \u0443\u0442\u0440\u0435\u043d\u043d\u044e\u044e \u0440\u0430\u0441\u0441\u044b\u043b\u043a\u0443 \u00ab\u0421\u0435\u0432\u0435\u0440\u043d\u043e\u0433\u043e \u0412\u0435\u0441\u0442\u043d\u0438\u043a\u0430\u00bb \u2014 \u0433\u043b\u0430\u0432\u043d\u044b\u0435 \u043d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f \u043a\u0430\u0436\u0434\u043e\u0435 \u0443\u0442\u0440\u043e \u0432 \u0432\u0430\u0448\u0435\u0439 \u043f\u043e\u0447\u0442\u0435. \u041f\u043e\u0434\u043f\u0438\u0441\u0430\u0442\u044c\u0441\u044f",
            "\u0421\u0430\u043c\u044b\u0435 \u0432\u0430\u0436\u043d\u044b\u0435 \u043d\u043e\u0432\u043e\u0441\u0442\u0438 \u2014 \u0432 \u043d\u0430\u0448\u0435\u043c Telegram-\u043a\u0430\u043d\u0430\u043b\u0435. \u041f\u043e\u0434\u043f\u0438\u0441\u044b\u0432\u0430\u0439\u0442\u0435\u0441\u044c, \u0447\u0442\u043e\u0431\u044b",
        ],
        teasers=["\u0427\u0438\u0442\u0430\u0439\u0442\u0435 \u0442\u0430\u043a\u0436\u0435: {h}", "\u00ab{h}\u00bb \u041f\u043e\u0434\u0440\u043e\u0431\u043d\u0435\u0435"],
        share=["\u041f\u043e\u0434\u0435\u043b\u0438\u0442\u044c\u0441\u044f: \u0412\u041a\u043e\u043d\u0442\u0430\u043a\u0442\u0435 \u041e\u0434\u043d\u043e\u043a\u043b\u0430\u0441\u0441\u043d\u0438\u043a\u0438 Telegram WhatsApp"],
        follow=["\u0421\u043b\u0435\u0434\u0438\u0442\u0435 \u0437\u0430 \u043d\u043e\u0432\u043e\u0441\u0442\u044f\u043c\u0438 \u00ab\u0421\u0435\u0432\u0435\u0440\u043d\u043e\u0433\u043e \u0412\u0435\u0441\u0442\u043d\u0438\u043a\u0430\u00bb \u0432 Telegram."],
        footer="\u00a9 {year} \u00ab\u0421\u0435\u0432\u0435\u0440\u043d\u044b\u0439 \u0412\u0435\u0441\u0442\u043d\u0438\u043a\u00bb. \u0412\u0441\u0435 \u043f\u0440\u0430\u0432\u0430 \u0437\u0430\u0449\u0438\u0449\u0435\u043d\u044b. \u041f\u0435\u0440\u0435\u043f\u0435\u0447\u0430\u0442\u043a\u0430 \u0442\u043e\u043b\u044c\u043a\u043e \u0441 \u0440\u0430\u0437\u0440\u0435\u0448\u0435\u043d\u0438\u044f \u0440\u0435\u0434\u0430\u043a\u0446\u0438\u0438.",
        more=["\u0427\u0438\u0442\u0430\u0442\u044c \u0434\u0430\u043b\u0435\u0435 \u043d\u0430 \u0441\u0430\u0439\u0442\u0435 severny-vestnik.example", "\u041f\u0440\u043e\u0434\u043e\u043b\u0436\u0435\u043d\u0438\u0435 \u0434\u043e\u0441\u0442\u0443\u043f\u043d\u043e \u043f\u043e\u0434\u043f\u0438\u0441\u0447\u0438\u043a\u0430\u043c."],
    ),
    dict(
        slug="volzhsky-obozrevatel", name="\u0412\u043e\u043b\u0436\u0441\u043a\u0438\u0439 \u041e\u0431\u043e\u0437\u0440\u0435\u0432\u0430\u0442\u0435\u043b\u044c",
        domain="volzhsky-obozrevatel.example", lang="ru",
        sections=["novosti", "mir", "ekonomika", "proisshestviya"],
        promos=[
            "\u0420\u0430\u0441\u0441\u044b\u043b\u043a\u0430 \u00ab\u041e\u0431\u043e\u0437\u0440\u0435\u0432\u0430\u0442\u0435\u043b\u044c. \u0412\u0435\u0447\u0435\u0440\u00bb: \u0438\u0442\u043e\u0433\u0438 \u0434\u043d\u044f \u043e\u0442 \u0440\u0435\u0434\u0430\u043a\u0446\u0438\u0438. \u041f\u043e\u0434\u043f\u0438\u0448\u0438\u0442\u0435\u0441\u044c \u0431\u0435\u0441\u043f\u043b\u0430\u0442\u043d\u043e",
            "\u0425\u043e\u0442\u0438\u0442\u0435 \u043f\u0435\u0440\u0432\u044b\u043c\u0438 \u0443\u0437\u043d\u0430\u0432\u0430\u0442\u044c \u043d\u043e\u0432\u043e\u0441\u0442\u0438? \u041f\u043e\u0434\u043f\u0438\u0448\u0438\u0442\u0435\u0441\u044c \u043d\u0430 push-\u0443\u0432\u0435\u0434\u043e\u043c\u043b\u0435\u043d\u0438\u044f.",
        ],
        teasers=["\u041f\u043e \u0442\u0435\u043c\u0435: {h}", "{h} \u0427\u0438\u0442\u0430\u0442\u044c \u043f\u043e\u043b\u043d\u043e\u0441\u0442\u044c\u044e"],
        share=["\u041f\u043e\u0434\u0435\u043b\u0438\u0442\u044c\u0441\u044f \u00b7 \u0412\u041a\u043e\u043d\u0442\u0430\u043a\u0442\u0435 \u00b7 Telegram \u00b7 \u0421\u043a\u043e\u043f\u0438\u0440\u043e\u0432\u0430\u0442\u044c \u0441\u0441\u044b\u043b\u043a\u0443"],
        follow=["\u041f\u043e\u0434\u043f\u0438\u0441\u044b\u0432\u0430\u0439\u0442\u0435\u0441\u044c \u043d\u0430 \u043d\u0430\u0448 \u043a\u0430\u043d\u0430\u043b \u0432 \u0414\u0437\u0435\u043d\u0435."],
        footer="Copyright \u00a9 {year} \u00ab\u0412\u043e\u043b\u0436\u0441\u043a\u0438\u0439 \u041e\u0431\u043e\u0437\u0440\u0435\u0432\u0430\u0442\u0435\u043b\u044c\u00bb. \u041f\u0440\u0438 \u0438\u0441\u043f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u043d\u0438\u0438 \u043c\u0430\u0442\u0435\u0440\u0438\u0430\u043b\u043e\u0432 \u0441\u0441\u044b\u043b\u043a\u0430 \u043e\u0431\u044f\u0437\u0430\u0442\u0435\u043b\u044c\u043d\u0430.",
        more=["\u0427\u0438\u0442\u0430\u0442\u044c \u043f\u043e\u043b\u043d\u043e\u0441\u0442\u044c\u044e", "\u041f\u0440\u043e\u0434\u043e\u043b\u0436\u0435\u043d\u0438\u0435 \u0447\u0438\u0442\u0430\u0439\u0442\u0435 \u043d\u0430 \u043d\u0430\u0448\u0435\u043c \u0441\u0430\u0439\u0442\u0435."],
    ),
    # ---------------------------------------------------------------- ar
    dict(
        slug="sada-alwaha", name="\u0635\u062f\u0649 \u0627\u0644\u0648\u0627\u062d\u0629", domain="sada-alwaha.example", lang="ar",
        sections=["news", "arab-world", "economy", "international"],
        promos=[
            "\u0627\u0634\u062a\u0631\u0643 \u0641\u064a \u0627\u0644\u0646\u0634\u0631\u0629 \u0627\u0644\u0625\u062e\u0628\u0627\u0631\u064a\u0629 \u0627\u0644\u064a\u0648\u0645\u064a\u0629 \u0644\u0635\u062f\u0649 \u0627\u0644\u0648\u0627\u062d\u0629 \u0644\u062a\u0635\u0644\u0643 \u0623\u0647\u0645 \u0627\u0644\u0623\u062e\u0628\u0627\u0631 \u0643\u0644 \u0635\u0628\u0627\u062d \u0639\u0644\u0649 \u0628\u0631\u064a\u062f\u0643 \u0627\u0644\u0625\u0644\u0643\u062a\u0631\u0648\u0646\u064a. \u0627\u0634\u062a\u0631\u0643 \u0627\u0644\u0622\u0646",
            "\u0633\u062c\u0644 \u0641\u064a \u0646\u0634\u0631\u062a\u0646\u0627 \u0627\u0644\u0628\u0631\u064a\u062f\u064a\u0629 \u0627\u0644\u0645\u062c\u0627\u0646\u064a\u0629 \u0644\u062a\u0635\u0644\u0643 \u0622\u062e\u0631 \u0627\u0644\u0645\u0633\u062a\u062c\u062f\u0627\u062a \u0648",
        ],
        teasers=["\u0627\u0642\u0631\u0623 \u0623\u064a\u0636\u0627: {h}", "\u00ab{h}\u00bb \u0644\u0644\u0645\u0632\u064a\u062f \u0627\u0636\u063a\u0637 \u0647\u0646\u0627"],
        share=["\u0634\u0627\u0631\u0643 \u0627\u0644\u062e\u0628\u0631: \u0641\u064a\u0633\u0628\u0648\u0643 \u062a\u0648\u064a\u062a\u0631 \u0648\u0627\u062a\u0633\u0627\u0628 \u0627\u0644\u0628\u0631\u064a\u062f \u0627\u0644\u0625\u0644\u0643\u062a\u0631\u0648\u0646\u064a"],
        follow=["\u062a\u0627\u0628\u0639\u0648\u0627 \u0635\u062f\u0649 \u0627\u0644\u0648\u0627\u062d\u0629 \u0639\u0644\u0649 \u062a\u0637\u0628\u064a\u0642 \u062a\u0644\u063a\u0631\u0627\u0645."],
        footer="\u00a9 {year} \u0635\u062f\u0649 \u0627\u0644\u0648\u0627\u062d\u0629. \u062c\u0645\u064a\u0639 \u0627\u0644\u062d\u0642\u0648\u0642 \u0645\u062d\u0641\u0648\u0638\u0629.",
        more=["\u0644\u0642\u0631\u0627\u0621\u0629 \u0627\u0644\u062e\u0628\u0631 \u0643\u0627\u0645\u0644\u0627 \u062a\u0627\u0628\u0639 \u0627\u0644\u0645\u0648\u0642\u0639 sada-alwaha.example", "\u062a\u0627\u0628\u0639 \u0627\u0644\u0642\u0631\u0627\u0621\u0629"],
    ),
    dict(
        slug="alnakhla-today", name="\u0627\u0644\u0646\u062e\u0644\u0629 \u0627\u0644\u064a\u0648\u0645", domain="alnakhla-today.example", lang="ar",
        sections=["akhbar", "siyasa", "iqtisad", "riyada"],
        promos=[
            "\u0646\u0634\u0631\u0629 \u0627\u0644\u0646\u062e\u0644\u0629 \u0627\u0644\u0645\u0633\u0627\u0626\u064a\u0629: \u0645\u0644\u062e\u0635 \u0623\u0628\u0631\u0632 \u0623\u062d\u062f\u0627\u062b \u0627\u0644\u064a\u0648\u0645 \u0641\u064a \u0628\u0631\u064a\u062f\u0643 \u0645\u062c\u0627\u0646\u0627. \u0633\u062c\u0644 \u0627\u0644\u0622\u0646",
            "\u062d\u0645\u0651\u0644 \u062a\u0637\u0628\u064a\u0642\u0646\u0627 \u0648\u0641\u0639\u0651\u0644 \u0627\u0644\u062a\u0646\u0628\u064a\u0647\u0627\u062a \u0644\u0645\u062a\u0627\u0628\u0639\u0629 \u0627\u0644\u0623\u062e\u0628\u0627\u0631 \u0627\u0644\u0639\u0627\u062c\u0644\u0629.",
        ],
        teasers=["\u0645\u0648\u0627\u0636\u064a\u0639 \u0630\u0627\u062a \u0635\u0644\u0629: {h}", "{h} \u0627\u0642\u0631\u0623 \u0627\u0644\u0645\u0632\u064a\u062f"],
        share=["\u0645\u0634\u0627\u0631\u0643\u0629: \u0641\u064a\u0633\u0628\u0648\u0643 \u00b7 \u0625\u0643\u0633 \u00b7 \u0648\u0627\u062a\u0633\u0627\u0628 \u00b7 \u0646\u0633\u062e \u0627\u0644\u0631\u0627\u0628\u0637"],
        follow=["\u062a\u0627\u0628\u0639\u0648\u0646\u0627 \u0639\u0644\u0649 \u0625\u0643\u0633 \u0648\u0625\u0646\u0633\u062a\u063a\u0631\u0627\u0645"],
        footer="\u062d\u0642\u0648\u0642 \u0627\u0644\u0646\u0634\u0631 \u00a9 {year} \u0627\u0644\u0646\u062e\u0644\u0629 \u0627\u0644\u064a\u0648\u0645. \u064a\u0645\u0646\u0639 \u0627\u0644\u0646\u0633\u062e \u062f\u0648\u0646 \u0625\u0630\u0646.",
        more=["\u0627\u0642\u0631\u0623 \u0627\u0644\u0645\u0632\u064a\u062f", "\u0627\u0644\u062a\u0641\u0627\u0635\u064a\u0644 \u0627\u0644\u0643\u0627\u0645\u0644\u0629 \u0639\u0644\u0649 \u0645\u0648\u0642\u0639\u0646\u0627."],
    ),
    # ---------------------------------------------------------------- zh
    dict(
        slug="dongan-daily", name="\u4e1c\u5cb8\u65e5\u62a5", domain="dongan-daily.example", lang="zh",
        sections=["news", "world", "finance", "society"],
        promos=[
            "\u8ba2\u9605\u300a\u4e1c\u5cb8\u65e5\u62a5\u300b\u65e9\u95f4\u7b80\u62a5\uff0c\u6bcf\u5929\u6e05\u6668\u628a\u6700\u91cd\u8981\u7684\u65b0\u95fb\u9001\u5230\u60a8\u7684\u90ae\u7bb1\u3002\u7acb\u5373\u8ba2\u9605",
            "\u5173\u6ce8\u4e1c\u5cb8\u65e5\u62a5\u5fae\u4fe1\u516c\u4f17\u53f7\uff0c\u83b7\u53d6\u66f4\u591a\u72ec\u5bb6\u62a5\u9053\u548c",
        ],
        teasers=["\u5ef6\u4f38\u9605\u8bfb\uff1a{h}", "\u201c{h}\u201d\u70b9\u51fb\u67e5\u770b\u66f4\u591a"],
        share=["\u5206\u4eab\u5230\uff1a\u5fae\u4fe1 \u5fae\u535a QQ\u7a7a\u95f4"],
        follow=["\u6b22\u8fce\u5173\u6ce8\u4e1c\u5cb8\u65e5\u62a5\u5b98\u65b9\u5fae\u535a\u3002"],
        footer="\u00a9 {year} \u4e1c\u5cb8\u65e5\u62a5 \u7248\u6743\u6240\u6709 \u672a\u7ecf\u6388\u6743\u4e0d\u5f97\u8f6c\u8f7d",
        more=["\u70b9\u51fb\u9605\u8bfb\u5168\u6587", "\u7ee7\u7eed\u9605\u8bfb\u8bf7\u8bbf\u95ee dongan-daily.example"],
    ),
    dict(
        slug="qingchuan-news", name="\u9752\u5ddd\u65f6\u8baf", domain="qingchuan-news.example", lang="zh",
        sections=["yaowen", "guoji", "caijing", "shehui"],
        promos=[
            "\u9752\u5ddd\u65f6\u8baf\u665a\u62a5\uff1a\u6bcf\u665a\u516b\u70b9\u4e3a\u60a8\u68b3\u7406\u5f53\u5929\u8981\u95fb\uff0c\u514d\u8d39\u8ba2\u9605",
            "\u4e0b\u8f7d\u9752\u5ddd\u65f6\u8baf\u5ba2\u6237\u7aef\uff0c\u7b2c\u4e00\u65f6\u95f4\u83b7\u53d6\u7a81\u53d1\u65b0\u95fb\u63a8\u9001\u3002",
        ],
        teasers=["\u76f8\u5173\u65b0\u95fb\uff1a{h}", "{h} \u9605\u8bfb\u66f4\u591a"],
        share=["\u5206\u4eab\uff1a\u5fae\u4fe1 \u00b7 \u5fae\u535a \u00b7 \u590d\u5236\u94fe\u63a5"],
        follow=["\u626b\u7801\u5173\u6ce8\u9752\u5ddd\u65f6\u8baf\u516c\u4f17\u53f7"],
        footer="\u7248\u6743\u6240\u6709 \u00a9 {year} \u9752\u5ddd\u65f6\u8baf \u8f6c\u8f7d\u8bf7\u6ce8\u660e\u51fa\u5904",
        more=["\u67e5\u770b\u5168\u6587", "\u672a\u5b8c\u5f85\u7eed\uff0c\u8bf7\u767b\u5f55\u9605\u8bfb\u5168\u6587"],
    ),
    # ---------------------------------------------------------------- it
    dict(
        slug="voce-del-borgo", name="La Voce del Borgo", domain="vocedelborgo.example", lang="it",
        sections=["cronaca", "esteri", "economia", "politica"],
        promos=[
            "Iscriviti alla newsletter della Voce: ogni mattina le notizie pi\u00f9 importanti direttamente nella tua casella di posta. Iscriviti",
            "Ricevi gratuitamente la nostra newsletter settimanale con le storie pi\u00f9 lette e",
        ],
        teasers=["Leggi anche: {h}", "\u00ab{h}\u00bb: Scopri di pi\u00f9"],
        share=["Condividi su Facebook Twitter WhatsApp Email"],
        follow=["Seguici su Instagram e su X."],
        footer="\u00a9 {year} La Voce del Borgo \u2013 Riproduzione riservata",
        more=["Continua a leggere su vocedelborgo.example", "Leggi l'articolo completo"],
    ),
    dict(
        slug="gazzettino-collinare", name="Gazzettino Collinare", domain="gazzettinocollinare.example", lang="it",
        sections=["attualita", "mondo", "economia", "sport"],
        promos=[
            "La newsletter del Gazzettino: il meglio della giornata ogni sera alle 19. Iscriviti gratis",
            "Unisciti al nostro canale WhatsApp per restare sempre aggiornato.",
        ],
        teasers=["POTREBBE INTERESSARTI: {h}", "{h} Leggi di pi\u00f9"],
        share=["Condividi: Facebook \u00b7 X \u00b7 LinkedIn \u00b7 Copia link"],
        follow=["Segui il Gazzettino Collinare su Google News"],
        footer="Copyright \u00a9 {year} Gazzettino Collinare. Tutti i diritti riservati.",
        more=["Continua a leggere", "Per leggere tutto l'articolo abbonati."],
    ),
    # ---------------------------------------------------------------- aggregator (any language, English furniture)
    dict(
        slug="newsmirror-hub", name="NewsMirror Hub", domain="newsmirrorhub.example", lang="*",
        sections=["feed", "world", "top"],
        promos=[
            "Get the NewsMirror digest: top stories from around the world, every morning. Subscribe",
            "Download the NewsMirror app for personalised alerts.",
        ],
        teasers=["Trending now: {h}", "{h} \u2014 see more on NewsMirror"],
        share=["Share via Facebook | X | Telegram"],
        follow=["Follow NewsMirror Hub for updates from thousands of sources."],
        footer="Content aggregated by NewsMirror Hub \u00a9 {year}. Original rights belong to the respective publishers.",
        more=["Continue reading at the original source", "View full article"],
    ),
]

# Name variants that copies may swap (only where the left or right form
# occurs in the text).  Each pair is (form_a, form_b); direction is chosen per
# copy.  The list mirrors what scraped copies of the same story really do:
# exonyms vs. endonyms, dotted/undotted letters, acronym casing.
VARIANTS = {
    "en": [("Turkey", "T\u00fcrkiye"), ("Erdogan", "Erdo\u011fan"), ("Kiev", "Kyiv"), ("COP29", "Cop29"),
           ("NATO", "Nato"), ("U.S.", "US"), ("COVID-19", "Covid-19")],
    "fr": [("Turquie", "T\u00fcrkiye"), ("Erdogan", "Erdo\u011fan"), ("Kiev", "Kyiv"), ("COP29", "Cop29"),
           ("Covid-19", "COVID-19")],
    "de": [("Erdogan", "Erdo\u011fan"), ("Kiew", "Kyjiw"), ("Nato", "NATO"), ("COP29", "Cop29"),
           ("Covid-19", "COVID-19")],
    "es": [("Turqu\u00eda", "T\u00fcrkiye"), ("Erdogan", "Erdo\u011fan"), ("Kiev", "Kyiv"), ("COP29", "Cop29"),
           ("COVID-19", "Covid-19")],
    "it": [("Erdogan", "Erdo\u011fan"), ("Kiev", "Kyiv"), ("Nato", "NATO"), ("COP29", "Cop29"),
           ("Covid-19", "COVID-19")],
    "pl": [("Erdogan", "Erdo\u011fan"), ("COP29", "Cop29"), ("COVID-19", "Covid-19")],
    "tr": [("Erdo\u011fan", "Erdogan"), ("Kiev", "Kyiv"), ("COP29", "Cop29"), ("Covid-19", "COVID-19")],
    "ru": [("COVID-19", "Covid-19")],
    "ar": [("\u0623\u0631\u062f\u0648\u063a\u0627\u0646", "\u0627\u0631\u062f\u0648\u063a\u0627\u0646"), ("COVID-19", "Covid-19")],
    "zh": [("COVID-19", "Covid-19")],
}

# Legacy single-byte / national encodings a copy may be saved in.
LEGACY_ENCODINGS = {
    "en": ["cp1252", "latin-1"], "fr": ["cp1252", "latin-1"], "de": ["cp1252", "latin-1"],
    "es": ["cp1252", "latin-1"], "it": ["cp1252", "latin-1"],
    "tr": ["iso-8859-9", "cp1254"], "ru": ["koi8-r", "cp1251"], "ar": ["cp1256"],
    "zh": ["gb18030"], "pl": ["cp1250", "iso-8859-2"],
}
