#!/usr/bin/env python3
"""Write the non-UTF-8 files of the sample corpus (data/sample/).

Most sample articles are plain UTF-8 files kept in git as they are. Four are
stored in other encodings on purpose, to exercise the decoder:

  * northgate-wire/2024-11-25-nato-ausgaben-de.txt        UTF-8 with a BOM (German)
  * northgate-wire/2024-11-19-greve-dockers-marseille-fr.txt  windows-1252 (French, has the euro sign)
  * bosphorus-gazete/2024-11-20-deprem-tatbikati.txt       ISO-8859-9 (Turkish)
  * northgate-wire/2024-11-22-metro-moskva-ru.txt          UTF-16LE with a BOM (Russian)

Their text lives here, as Python strings, so that it can be read and edited.
The script is deterministic: running it again rewrites identical bytes. It
checks that every file decodes back to the original text.

Usage: python3 data/make_sample_encodings.py   (from anywhere)

The article text was written for dedup and may be used under the project's
licence (MIT OR Apache-2.0).
"""

import pathlib

SAMPLE = pathlib.Path(__file__).resolve().parent / "sample"

# (path under data/sample, encoding, text). Lines end with "\n".
FILES = [
    (
        'northgate-wire/2024-11-25-nato-ausgaben-de.txt',
        'utf-8-sig',
        """\
date: 2024-11-25
lang: de
source: Northgate Wire

Die Nato-Staaten sollen ihre Verteidigungsausgaben nach dem Willen mehrerer osteuropäischer Mitglieder deutlich über das bisherige Ziel von zwei Prozent der Wirtschaftsleistung anheben. Teilen Sie diesen Artikel Bei einem Treffen der Verteidigungsminister in Brüssel warben Polen und die baltischen Staaten am Montag für eine neue Zielmarke von mindestens drei Prozent.

Die Bundesregierung reagierte zurückhaltend. Ein Sprecher des Verteidigungsministeriums in Berlin sagte, Deutschland werde das Zwei-Prozent-Ziel in diesem Jahr erstmals seit Jahrzehnten erreichen, vor allem dank des Sondervermögens für die Bundeswehr. Wie die Ausgaben nach dessen Auslaufen finanziert werden sollen, sei jedoch noch offen.

Hintergrund der Debatte ist die Sorge, dass die künftige US-Regierung ihre Unterstützung für das Bündnis an höhere europäische Beiträge knüpfen könnte. "Wir müssen selbst mehr Verantwortung übernehmen, bevor andere es von uns verlangen", sagte ein litauischer Diplomat. „Zeitenwende“ in Zahlen: Was die Bundeswehr wirklich kostet Mehr lesen

Ökonomen weisen darauf hin, dass ein Drei-Prozent-Ziel für Deutschland Mehrausgaben von rund 40 Milliarden Euro pro Jahr bedeuten würde. Kritiker aus den Reihen der Opposition fordern, zunächst die Beschaffung effizienter zu machen, bevor neue Milliarden fließen. Eine Entscheidung wird frühestens beim Nato-Gipfel im kommenden Sommer in Den Haag erwartet.

© 2024 Northgate Wire. Alle Rechte vorbehalten.
""",
    ),
    (
        'northgate-wire/2024-11-19-greve-dockers-marseille-fr.txt',
        'cp1252',
        """\
date: 2024-11-19
lang: fr
source: Northgate Wire
title: Marseille-Fos : les dockers en grève pour 48 heures

Les dockers du port de Marseille-Fos ont entamé mardi matin une grève de 48 heures pour protester contre un projet de réforme de leur régime de pénibilité, paralysant une grande partie du trafic de conteneurs. Selon la direction du port, une trentaine de navires étaient en attente au large mercredi matin.

«\u00a0Nous ne demandons pas de privilèges, seulement la reconnaissance d’un métier qui use les corps\u00a0», a déclaré un responsable syndical devant les grilles du terminal. Partagez cet article

Les représentants des salariés réclament le maintien du départ anticipé à la retraite pour les manutentionnaires exposés au travail de nuit. Les organisations patronales du secteur estiment que le mouvement coûte plusieurs millions d’euros par jour aux entreprises de la région.

Le ministère des Transports a proposé une réunion de concertation la semaine prochaine à Paris. Abonnez-vous dès 1 € le premier mois pour lire tous nos articles

Les transporteurs routiers craignent des embouteillages sur les accès au port, déjà saturés en temps normal. Une nouvelle journée de mobilisation n’est pas exclue si les discussions n’aboutissent pas avant la fin du mois.

© 2024 Northgate Wire. Tous droits réservés.
""",
    ),
    (
        'bosphorus-gazete/2024-11-20-deprem-tatbikati.txt',
        'iso-8859-9',
        """\
date: 2024-11-20
title: İstanbul'da 39 ilçede deprem tatbikatı

İstanbul'da olası büyük bir depreme hazırlık kapsamında kentin 39 ilçesinde eş zamanlı tatbikat düzenlendi. Haberi paylaş Sabah saat 10.00'da başlayan tatbikata okullar, hastaneler ve kamu binalarında yaklaşık iki milyon kişi katıldı.

AFAD yetkilileri, tatbikatın amacının vatandaşların toplanma alanlarını öğrenmesi ve ilk müdahale ekiplerinin koordinasyonunu test etmek olduğunu açıkladı. Kadıköy ve Bakırköy'de arama kurtarma ekipleri, yıkılmış bina senaryosu üzerinden enkaz altından yaralı tahliyesi gerçekleştirdi.

Uzmanlar, Marmara Denizi'ndeki fay hattı nedeniyle önümüzdeki yıllarda yedi büyüklüğünde bir deprem beklendiğini hatırlatıyor.

"Bina stokunun yenilenmesi hâlâ en acil mesele" diyen bir jeofizik mühendisi, kentsel dönüşümün hızlandırılması çağrısında bulundu. İlginizi çekebilir: Marmara'da fay hattı haritası yenilendi Devamını oku İstanbul Valiliği, benzer tatbikatların her yıl tekrarlanacağını duyurdu. Vatandaşlara deprem çantası hazırlamaları, eşyalarını duvara sabitlemeleri ve oturdukları binaların dayanıklılık testini yaptırmaları tavsiye edildi. © 2024 Boğaziçi Gazetesi. Tüm hakları saklıdır.
""",
    ),
    (
        'northgate-wire/2024-11-22-metro-moskva-ru.txt',
        'utf-16le-bom',
        """\
date: 2024-11-22
lang: ru
source: Northgate Wire

В Москве в пятницу открылись три новые станции метро на юго-западном участке Троицкой линии. Поделиться статьёй По данным столичного департамента транспорта, новый участок длиной около девяти километров позволит жителям Коммунарки и соседних районов добираться до центра на 20 минут быстрее.

Строительство велось почти четыре года. Станции оформлены в едином стиле с использованием светлого камня и светодиодной подсветки, а на одной из них разместили мозаику, посвященную истории подмосковных деревень.

В первые часы после открытия пассажиропоток оказался выше ожидаемого, и на платформах дежурили дополнительные сотрудники метрополитена. "Раньше я тратил на дорогу до работы полтора часа, теперь надеюсь уложиться в час", — рассказал один из пассажиров. Читайте также: Как меняется карта московского метро

В мэрии сообщили, что до конца следующего года планируется запустить еще несколько станций на других линиях. Эксперты отмечают, что быстрое расширение сети пока не успевает за ростом новых жилых кварталов на окраинах города.

© 2024 Northgate Wire. Все права защищены.
""",
    ),
]


def encode(text, encoding):
    if encoding == "utf-16le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    # "utf-8-sig" writes the BOM EF BB BF; cp1252 and iso-8859-9 raise on
    # any character they cannot represent, which is what we want.
    return text.encode(encoding)


def decode(data, encoding):
    if encoding == "utf-16le-bom":
        assert data[:2] == b"\xff\xfe"
        return data[2:].decode("utf-16-le")
    if encoding == "utf-8-sig":
        assert data[:3] == b"\xef\xbb\xbf"
    return data.decode(encoding)


def main():
    for rel, encoding, text in FILES:
        path = SAMPLE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = encode(text, encoding)
        path.write_bytes(data)
        assert decode(path.read_bytes(), encoding) == text, rel
        print(f"wrote {rel} ({encoding}, {len(data)} bytes)")


if __name__ == "__main__":
    main()
