"""Write the labelled privacy corpus: person-level files that must be refused, aggregates that must pass.

    python tests/files/privacy/corpus/make_corpus.py             # beside this script
    python tests/files/privacy/corpus/make_corpus.py --out DIR   # elsewhere (the reproducibility test)

Every file comes with a manifest entry {"file", "label": "personal"|"aggregate", "variant", "note"}
(manifest.json). The output is byte-for-byte the same on every run: each file draws from its own
random generator seeded with the file's name, and the workbooks carry fixed zip and document times.

Every person here is invented: names are combined from common NTB name parts (Sasak, Balinese,
Mbojo/Samawa and other Arabic-origin, Javanese, Chinese-Indonesian), NIKs and KK numbers are built
from a real region code, a real date (women's day + 40) and a made-up serial, phone numbers from
operator prefixes and random digits. Institution names, office addresses and office landlines are
invented in the style of the office's published LKS directory.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
SEED = "portal-data-sosial-ntb/privacy-corpus/1"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
DOC_TIME = dt.datetime(2024, 1, 1)

# ---------------------------------------------------------------------------- the region

# (code with dot, name, short name used in office files, kecamatan)
KABUPATEN = [
    ("52.01", "Kabupaten Lombok Barat", "Lobar",
     ["Gerung", "Kediri", "Narmada", "Sekotong", "Labuapi", "Gunungsari", "Lingsar", "Lembar",
      "Batu Layar", "Kuripan"]),
    ("52.02", "Kabupaten Lombok Tengah", "Loteng",
     ["Praya", "Jonggat", "Batukliang", "Pujut", "Praya Barat", "Praya Timur", "Janapria",
      "Pringgarata", "Kopang", "Praya Tengah", "Praya Barat Daya", "Batukliang Utara"]),
    ("52.03", "Kabupaten Lombok Timur", "Lotim",
     ["Keruak", "Sakra", "Terara", "Sikur", "Masbagik", "Sukamulia", "Selong", "Pringgabaya",
      "Aikmel", "Sambelia", "Montong Gading", "Pringgasela", "Suralaga", "Wanasaba", "Sembalun",
      "Suela", "Labuhan Haji", "Sakra Timur", "Sakra Barat", "Jerowaru"]),
    ("52.04", "Kabupaten Sumbawa", "Sumbawa",
     ["Lunyuk", "Alas", "Utan", "Batu Lanteh", "Sumbawa", "Moyo Hilir", "Moyo Hulu", "Ropang",
      "Lape", "Plampang", "Empang", "Labuhan Badas", "Unter Iwes"]),
    ("52.05", "Kabupaten Dompu", "Dompu",
     ["Dompu", "Kempo", "Hu'u", "Kilo", "Woja", "Pekat", "Manggelewa", "Pajo"]),
    ("52.06", "Kabupaten Bima", "Bima",
     ["Monta", "Bolo", "Woha", "Belo", "Wawo", "Sape", "Wera", "Donggo", "Sanggar", "Ambalawi",
      "Langgudu", "Lambu", "Madapangga", "Tambora", "Soromandi", "Parado", "Palibelo"]),
    ("52.07", "Kabupaten Sumbawa Barat", "KSB",
     ["Jereweh", "Taliwang", "Seteluk", "Sekongkang", "Brang Rea", "Poto Tano", "Brang Ene", "Maluk"]),
    ("52.08", "Kabupaten Lombok Utara", "KLU",
     ["Tanjung", "Gangga", "Kayangan", "Bayan", "Pemenang"]),
    ("52.71", "Kota Mataram", "Mataram",
     ["Ampenan", "Mataram", "Cakranegara", "Sekarbela", "Selaparang", "Sandubaya"]),
    ("52.72", "Kota Bima", "Kota Bima",
     ["Rasanae Barat", "Rasanae Timur", "Asakota", "Raba", "Mpunda"]),
]
AREA_CODES = {"52.01": "0370", "52.02": "0370", "52.03": "0376", "52.04": "0371", "52.05": "0373",
              "52.06": "0374", "52.07": "0372", "52.08": "0370", "52.71": "0370", "52.72": "0374"}
DESA = [
    "Sesela", "Meninting", "Sekotong Tengah", "Pelangan", "Batu Putih", "Lembuak", "Sesaot",
    "Suranadi", "Kuta", "Sengkol", "Mertak", "Rembitan", "Sukadana", "Ubung", "Barejulat",
    "Batunyala", "Sembalun Lawang", "Sembalun Bumbung", "Sajang", "Pemongkong", "Ekas Buana",
    "Labuhan Lombok", "Aikmel Utara", "Kotaraja", "Moyo", "Labuhan Sumbawa", "Songgajah", "Soro",
    "Naru", "Bugis", "Sangia", "Senaru", "Anyar", "Loloan", "Sokong", "Pemenang Barat",
    "Ampenan Selatan", "Dasan Agung", "Pagesangan", "Penatoi", "Rabadompu", "Kempo", "Taliwang",
    "Kertasari", "Maluk", "Benete", "Wawo Rada", "Tangga",
]
DUSUN_HEAD = ["Dasan", "Gubuk", "Karang", "Lendang", "Montong", "Bagik", "Telaga", "Presak", "Tibu",
              "Orong", "Repok", "Kebon", "Lingkok", "Batu", "Pancor", "Tanak"]
DUSUN_TAIL = ["Baru", "Daye", "Lauq", "Bat", "Timuq", "Atas", "Bawah", "Tengak", "Jaya", "Bajur",
              "Lekong", "Malang", "Are", "Polak", "Lebur", "Bunter", "Embung", "Bengkel"]

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]

# ---------------------------------------------------------------------------- names

SASAK_MEN = ["Muhammad", "Ahmad", "Amir", "Zainul", "Fathurrahman", "Hamdi", "Sukardi", "Wirajaya",
             "Satriawan", "Habibullah", "Junaidi", "Mahsun", "Supardi", "Azhar", "Hairul", "Mustiadi",
             "Rusdi", "Hasbullah", "Sudirman", "Marzuki", "Kertajaya", "Gede", "Muliadi", "Sahnan"]
SASAK_WOMEN = ["Wahyuni", "Ely", "Nurul", "Sri", "Rina", "Fitriani", "Hartini", "Yuliana", "Mardiah",
               "Zuhriah", "Suhartini", "Rahmawati", "Nurhasanah", "Saptiani", "Herlina", "Ernawati",
               "Eka", "Lisnawati", "Halimatussakdiah", "Mulianah", "Rauhun", "Patmawati"]
SASAK_ONE_NAME = ["Sahnan", "Muhir", "Sukri", "Rusnah", "Sumiati", "Saenah", "Mahnep", "Kasim",
                  "Rumenah", "Sahdan", "Sinarep", "Rahmat", "Jumahir", "Salimah"]
BALI_ORDER = ["Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut"]
BALI_MEN = ["Saputra", "Suarta", "Sudarma", "Budiasa", "Sukerta", "Arta", "Mertayasa", "Wirawan",
            "Suardana", "Adnyana", "Sumerta", "Darmawan", "Sutama", "Wiguna", "Pasek"]
BALI_WOMEN = ["Ariani", "Suryani", "Ayu", "Astuti", "Widiastuti", "Sukarmi", "Wartini", "Sriasih",
              "Kusumawati", "Suartini", "Purnami", "Sudiarti", "Rasmini"]
BALI_NOBLE_MEN = ["I Gusti Ngurah", "Anak Agung Gede", "Ida Bagus", "I Gusti Made"]
BALI_NOBLE_WOMEN = ["I Gusti Ayu", "Anak Agung Istri", "Ida Ayu", "Desak Made"]
ARAB_MEN = ["Muhammad", "M.", "Muh.", "Ahmad", "Syamsuddin", "Hamzah", "Ismail", "Ibrahim", "Arifin",
            "Mustamin", "Jamaluddin", "Nurdin", "Usman", "Syarifuddin", "Abdullah", "Yusuf", "Hasan",
            "Husain", "Ridwan", "Salahuddin", "Fahrurrozi", "Burhanuddin", "Ilham"]
ARAB_MEN_SECOND = ["Saleh", "Ridwan", "Yamin", "Amin", "Rizal", "Hatta", "Faisal", "Anwar", "Said",
                   "Taufik", "Ali", "Zakaria", "Mahmud", "Syukri", "Kasim"]
ABDUL = ["Rahman", "Haris", "Karim", "Gani", "Wahab", "Hafid", "Majid", "Latif", "Rasyid", "Muis"]
ARAB_WOMEN = ["Aisyah", "Fatimah", "Zainab", "Jainab", "Ramlah", "Salmah", "Halimah", "Nurhayati",
              "Rukayah", "Maryam", "Khadijah", "Hadijah", "Sitti Hawa", "Rosmiati", "Nursyamsiah"]
SITI = ["Aminah", "Nurhayati", "Fatimah", "Rahmah", "Hajar", "Maryam", "Julaiha", "Hawa", "Saodah",
        "Marwah", "Zubaidah"]
NUR = ["Aini", "Hasanah", "Laila", "Jannah", "Azizah", "Halimah", "Fitri"]
FATHERS = ["Abdullah", "Usman", "H. Ismail", "Yusuf", "Ahmad", "Hasan", "H. Abubakar", "Idris",
           "Muhtar", "Umar"]
JAVA_MEN = ["Budi", "Agus", "Eko", "Bambang", "Slamet", "Tri", "Joko", "Heru", "Dwi", "Rudi",
            "Bayu", "Wahyu", "Teguh", "Hadi"]
JAVA_WOMEN = ["Sri", "Dewi", "Endang", "Tri", "Rini", "Wulan", "Yuni", "Ratna", "Sumarni", "Siti"]
JAVA_MEN_LAST = ["Santoso", "Setiawan", "Prasetyo", "Sutrisno", "Riyadi", "Wahyudi", "Susilo",
                 "Purnomo", "Cahyono", "Hartono", "Nugroho", "Kurniawan", "Widodo", "Saputro"]
JAVA_WOMEN_LAST = ["Lestari", "Wahyuni", "Susilowati", "Rahayu", "Handayani", "Puspitasari",
                   "Wulandari", "Suryani", "Kusumaningrum", "Astuti", "Mulyani"]
CHINESE_FIRST_MEN = ["Hendra", "Susanto", "Wilson", "Yohanes", "Steven", "Andreas", "Benny", "Rudy"]
CHINESE_FIRST_WOMEN = ["Liliana", "Fransiska", "Kristina", "Michelle", "Melinda", "Lanny", "Yenny"]
CHINESE_LAST = ["Wijaya", "Halim", "Kurniawan", "Tandiono", "Gunawan", "Tanoto", "Salim", "Widjaja",
                "Hartanto", "Setiadi", "Santosa", "Lukito"]
CHINESE_CLAN = ["Tan", "Lie", "Oei", "Go", "Lim", "The", "Ong", "Liem", "Kwee"]
CHINESE_GIVEN = ["Hok", "Seng", "Mei", "Ling", "Swan", "Hwa", "Kim", "Liong", "Siu", "Lan", "Bing",
                 "Tjoen", "Giok", "Hien"]
DEGREES = ["S.Pd.", "S.Sos.", "S.Kep.", "A.Md.", "S.H.", "S.E.", "S.Pd.I.", "M.Pd.", "S.Ag.",
           "A.Md.Keb.", "S.IP.", "S.Tr.Sos."]
MALE_PREFIX = ["Drs.", "Ir.", "dr."]
FEMALE_PREFIX = ["Dra.", "Ir.", "dr."]


class Person:
    """An invented resident: name, sex, birth date, kabupaten and kecamatan index."""

    __slots__ = ("name", "sex", "born", "kab", "kec")

    def __init__(self, name: str, sex: str, born: dt.date, kab: int, kec: int) -> None:
        self.name, self.sex, self.born, self.kab, self.kec = name, sex, born, kab, kec


def _given(rng: random.Random, parts: Sequence[str], most: int = 2) -> str:
    words = rng.sample(list(parts), rng.randint(1, most))
    return " ".join(words)


def make_name(rng: random.Random, sex: str, culture: str | None = None, titles: bool = True) -> str:
    """Combine an NTB-style person name from parts (never a real person's data)."""
    culture = culture or rng.choices(
        ["sasak", "sasak_plain", "bali", "arab", "java", "chinese"], [34, 10, 14, 28, 9, 5])[0]
    man = sex == "L"
    if culture == "sasak":
        if man:
            name = f"{rng.choice(['Lalu', 'Lalu', 'Lalu', 'Raden'])} {_given(rng, SASAK_MEN)}"
        else:
            name = f"{rng.choice(['Baiq', 'Baiq', 'Baiq', 'Lale', 'Denda'])} {_given(rng, SASAK_WOMEN)}"
    elif culture == "sasak_plain":
        # Villagers often have one name; parents are called after their first child.
        base = rng.choice(SASAK_ONE_NAME)
        if rng.random() < 0.4:
            kid = rng.choice(SASAK_ONE_NAME)
            name = f"{'Amaq' if man else 'Inaq'} {kid}"
        else:
            name = base if rng.random() < 0.5 else f"{base} {rng.choice(SASAK_ONE_NAME)}"
    elif culture == "bali":
        if rng.random() < 0.15:
            name = f"{rng.choice(BALI_NOBLE_MEN if man else BALI_NOBLE_WOMEN)} {rng.choice(BALI_MEN if man else BALI_WOMEN)}"
        elif man:
            name = f"I {rng.choice(BALI_ORDER)} {_given(rng, BALI_MEN)}"
        else:
            luh = "Luh " if rng.random() < 0.4 else ""
            order = rng.choice([o for o in BALI_ORDER if o != "Gede"])  # Gede is for boys
            name = f"Ni {luh}{order} {_given(rng, BALI_WOMEN)}"
    elif culture == "arab":
        r = rng.random()
        if man:
            if r < 0.3:
                name = f"Abdul {rng.choice(ABDUL)}"
            else:
                name = f"{rng.choice(ARAB_MEN)} {rng.choice(ARAB_MEN_SECOND)}"
            if rng.random() < 0.15:
                name += f" bin {rng.choice(FATHERS)}"
        else:
            if r < 0.35:
                name = f"Siti {rng.choice(SITI)}"
            elif r < 0.55:
                name = f"Nur {rng.choice(NUR)}"
            else:
                name = rng.choice(ARAB_WOMEN)
            if rng.random() < 0.12:
                name += f" binti {rng.choice(FATHERS)}"
    elif culture == "java":
        if man:
            name = f"{rng.choice(JAVA_MEN)} {rng.choice(JAVA_MEN_LAST)}"
        else:
            name = f"{rng.choice(JAVA_WOMEN)} {rng.choice(JAVA_WOMEN_LAST)}"
    else:
        if rng.random() < 0.3:
            name = f"{rng.choice(CHINESE_CLAN)} {' '.join(rng.sample(CHINESE_GIVEN, 2))}"
        else:
            first = CHINESE_FIRST_MEN if man else CHINESE_FIRST_WOMEN
            name = f"{rng.choice(first)} {rng.choice(CHINESE_LAST)}"
    if titles:
        if rng.random() < 0.12 and culture in ("sasak", "sasak_plain", "arab", "java"):  # hajj titles: Muslims
            name = f"{'H.' if man else 'Hj.'} {name}"
        elif rng.random() < 0.03:
            name = f"{rng.choice(MALE_PREFIX if man else FEMALE_PREFIX)} {name}"
        if rng.random() < 0.08:
            muslim = culture not in ("bali", "chinese")
            name = f"{name}, {rng.choice([d for d in DEGREES if muslim or d != 'S.Pd.I.'])}"
    return name


def make_people(rng: random.Random, n: int, kab: int | None = None, titles: bool = True,
                born_from: int = 1945, born_to: int = 2004, culture: str | None = None) -> list[Person]:
    """n invented residents with (mostly) unique names."""
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < n:
        sex = rng.choice("LP")
        name = make_name(rng, sex, culture, titles)
        if name in seen and rng.random() < 0.9:
            continue
        seen.add(name)
        born = dt.date(rng.randint(born_from, born_to), 1, 1) + dt.timedelta(days=rng.randrange(365))
        k = rng.randrange(len(KABUPATEN)) if kab is None else kab
        people.append(Person(name, sex, born, k, rng.randrange(len(KABUPATEN[k][3]))))
    return people


def dusun(rng: random.Random) -> str:
    return f"{rng.choice(DUSUN_HEAD)} {rng.choice(DUSUN_TAIL)}"


def kab_code(k: int, dotted: bool = True) -> str:
    code = KABUPATEN[k][0]
    return code if dotted else code.replace(".", "")


def region6(p: Person) -> str:
    return kab_code(p.kab, False) + f"{p.kec + 1:02d}"


def nik(rng: random.Random, p: Person) -> str:
    """A structurally valid, invented NIK: region, birth date (women + 40), serial."""
    day = p.born.day + (40 if p.sex == "P" else 0)
    return f"{region6(p)}{day:02d}{p.born.month:02d}{p.born.year % 100:02d}{rng.randint(1, 180):04d}"


def kk_number(rng: random.Random, p: Person) -> str:
    """An invented family-card number: region, issue date, serial."""
    issued = dt.date(rng.randint(2005, 2023), 1, 1) + dt.timedelta(days=rng.randrange(365))
    return f"{region6(p)}{issued:%d%m%y}{rng.randint(1, 2500):04d}"


MOBILE_PREFIX = ["0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0815", "0857",
                 "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0895", "0896", "0897",
                 "0881", "0882"]


def mobile_digits(rng: random.Random) -> str:
    """An invented Indonesian mobile number, 11 or 12 digits, starting 08."""
    rest = rng.randint(7, 8)
    return rng.choice(MOBILE_PREFIX) + "".join(str(rng.randrange(10)) for _ in range(rest))


def office_phone(rng: random.Random, code: str, style: int = 0) -> str:
    area = AREA_CODES[code]
    digits = 6 if area == "0370" else 5
    number = str(rng.randint(2, 6)) + "".join(str(rng.randrange(10)) for _ in range(digits - 1))
    grouped = f"{number[:3]}-{number[3:]}" if digits == 6 else number
    return [f"({area}) {number}", f"{area}-{number}", f"{area} {number}", f"({area}) {grouped}"][style % 4]


# ---------------------------------------------------------------------------- numbers in office style

def id_number(n: float, decimals: int = 0) -> str:
    """1234567.5 -> '1.234.567,50' (Indonesian Excel)."""
    text = f"{n:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def rupiah(n: float, decimals: int = 0) -> str:
    return f"Rp {id_number(n, decimals)}"


def small_count(rng: random.Random, high: int = 60) -> int:
    """A count as rare categories have them: many zeros and small cells."""
    r = rng.random()
    if r < 0.25:
        return 0
    if r < 0.55:
        return rng.randint(1, 4)
    return rng.randint(5, high)


def date_text(d: dt.date, style: int) -> str:
    return [f"{d:%d-%m-%Y}", f"{d:%d/%m/%Y}", d.isoformat(), f"{d.day} {MONTHS[d.month - 1]} {d.year}",
            f"{d:%d.%m.%Y}", f"{d:%d/%m/%y}"][style % 6]


# ---------------------------------------------------------------------------- writers

class Corpus:
    """Collects files and their manifest entries, writing each into `out`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.entries: list[dict[str, str]] = []

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{SEED}/{name}")

    def _add(self, name: str, label: str, variant: str, note: str) -> Path:
        if any(e["file"] == name for e in self.entries):
            raise ValueError(f"two files named {name}")
        self.entries.append({"file": name, "label": label, "variant": variant, "note": note})
        return self.out / name

    def csv(self, name: str, label: str, variant: str, note: str, rows: Sequence[Sequence[Any]],
            delimiter: str = ",", encoding: str = "utf-8", above: Sequence[Sequence[Any]] = (),
            below: Sequence[Sequence[Any]] = ()) -> None:
        """Write header + rows, with title rows `above` and note rows `below`, as Excel would."""
        path = self._add(name, label, variant, note)
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        width = max(len(r) for r in rows)
        for line in above:
            writer.writerow(list(line) + [""] * (width - len(line)))
        writer.writerows(rows)
        for line in below:
            writer.writerow(list(line) + [""] * (width - len(line)))
        data = buf.getvalue()
        if encoding == "utf-16":
            raw = b"\xff\xfe" + data.encode("utf-16-le")
        else:
            raw = data.encode(encoding)
        path.write_bytes(raw)

    def xlsx(self, name: str, label: str, variant: str, note: str, rows: Sequence[Sequence[Any]],
             above: Sequence[Sequence[Any]] = (), below: Sequence[Sequence[Any]] = (),
             merges: Sequence[str] = (), sheet: str = "Sheet1") -> None:
        path = self._add(name, label, variant, note)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        for line in list(above) + list(rows) + list(below):
            ws.append(list(line))
        for rng in merges:
            ws.merge_cells(rng)
        wb.properties.creator = "Dinas Sosial Provinsi NTB"
        wb.properties.created = wb.properties.modified = DOC_TIME
        buf = io.BytesIO()
        wb.save(buf)
        path.write_bytes(_fixed_zip(buf.getvalue()))

    def write_manifest(self) -> None:
        text = json.dumps(self.entries, ensure_ascii=False, indent=1) + "\n"
        (self.out / "manifest.json").write_text(text, encoding="utf-8")


def _fixed_zip(raw: bytes) -> bytes:
    """The same workbook with fixed member times and document dates (openpyxl stamps 'now')."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, data)
    return out.getvalue()


# ============================================================================ person-level files

PERSONAL = "personal"
AGGREGATE = "aggregate"
PROGRAMS = ["PKH", "BPNT", "PBI-JK", "BLT Dana Desa", "Bansos Sembako", "ATENSI", "Rutilahu"]
VERDICT = ["Layak", "Layak", "Sangat Layak", "Tidak Layak", "Perlu Verifikasi"]
PPKS = ["Lanjut Usia Terlantar", "Penyandang Disabilitas", "Anak Terlantar", "Fakir Miskin",
        "Perempuan Rawan Sosial Ekonomi", "Korban Bencana Alam", "Keluarga Bermasalah Sosial Psikologis"]
DISABILITIES = ["Disabilitas Fisik", "Disabilitas Netra", "Disabilitas Rungu Wicara",
                "Disabilitas Intelektual", "Disabilitas Mental", "Disabilitas Ganda"]
JOBS = ["Petani", "Buruh Tani", "Nelayan", "Pedagang", "Ibu Rumah Tangga", "Buruh Harian Lepas",
        "Tidak Bekerja", "Peternak", "Pengrajin Gerabah", "Penenun"]


def person_desa(rng: random.Random, p: Person) -> str:
    return rng.choice(DESA)


def names_only(c: Corpus) -> None:
    """By-name lists that hold no number at all: only the names give them away."""
    V = "names_only"
    specs = [
        ("bnba_penerima_desa.csv", ["Desa", "Penerima", "Program", "Nilai"],
         lambda r, p: [person_desa(r, p), p.name, r.choice(PROGRAMS[:3]), r.choice(VERDICT)],
         "Verification list: village, recipient's name, programme, verdict.", {}),
        ("kpm_pkh_dusun.csv", ["Dusun", "KPM", "Komponen"],
         lambda r, p: [f"Dusun {dusun(r)}", p.name, r.choice(["Ibu Hamil", "Anak Usia Dini", "Anak SD", "Anak SMP", "Lansia", "Disabilitas Berat"])],
         "PKH beneficiary families (KPM) by name, with their component.", {}),
        ("ahli_waris_santunan.csv", ["Kecamatan", "Ahli Waris", "Hubungan", "Status"],
         lambda r, p: [KABUPATEN[p.kab][3][p.kec], p.name, r.choice(["Istri", "Suami", "Anak Kandung", "Orang Tua"]), r.choice(["Diterima", "Proses", "Ditolak"])],
         "Heirs of a death-benefit programme by name.", {"delimiter": ";"}),
        ("pemohon_bantuan_rutilahu.csv", ["Pemohon", "Jenis Bantuan", "Desa", "Status Verifikasi"],
         lambda r, p: [p.name, "Rehab Rumah Tidak Layak Huni", person_desa(r, p), r.choice(["Terverifikasi", "Belum", "Ditolak"])],
         "Applicants for house repair aid by name.", {}),
        ("peserta_pelatihan_kewirausahaan.csv", ["Peserta", "Kegiatan", "Asal Kecamatan"],
         lambda r, p: [p.name, r.choice(["Pelatihan Kewirausahaan", "Bimtek KUBE", "Pelatihan Menjahit"]), KABUPATEN[p.kab][3][p.kec]],
         "Training participants by name.", {}),
        ("anggota_kube.xlsx", ["KUBE", "Anggota", "Jabatan"],
         lambda r, p: [f"KUBE {r.choice(['Maju Bersama', 'Sejahtera', 'Harapan Baru', 'Tunas Mekar', 'Bina Usaha'])}", p.name, r.choice(["Ketua", "Sekretaris", "Bendahara", "Anggota", "Anggota", "Anggota"])],
         "Members of joint-business groups (KUBE) by name.", {"xlsx": True}),
        ("kepala_keluarga_miskin.csv", ["Kepala Keluarga", "Dusun", "Desil"],
         lambda r, p: [p.name, dusun(r), f"Desil {r.randint(1, 4)}"],
         "Poor household heads by name with their welfare decile label.", {"upper": True}),
        ("pendamping_pkh.csv", ["Pendamping", "Wilayah Dampingan", "Program"],
         lambda r, p: [p.name, f"Kec. {KABUPATEN[p.kab][3][p.kec]}", "PKH"],
         "PKH field facilitators by name and area.", {}),
        ("pelapor_pengaduan.csv", ["Pelapor", "Jenis Kejadian", "Lokasi"],
         lambda r, p: [p.name, r.choice(["Penelantaran lansia", "Anak putus sekolah", "Rumah roboh", "KDRT", "Orang terlantar"]), person_desa(r, p)],
         "People who reported cases, by name.", {"encoding": "cp1252"}),
        ("nama_lengkap_ppks.csv", ["Nama Lengkap", "Desa", "Kategori PPKS"],
         lambda r, p: [p.name, person_desa(r, p), r.choice(PPKS)],
         "PPKS by full name (the one header every list has).", {}),
        ("recipients_village.csv", ["Recipient", "Village", "Programme"],
         lambda r, p: [p.name, person_desa(r, p), r.choice(PROGRAMS[:3])],
         "English headers over a by-name recipients list.", {}),
        ("beneficiaries_district.csv", ["Beneficiary", "District", "Assistance"],
         lambda r, p: [p.name, KABUPATEN[p.kab][2], r.choice(["Food basket", "Cash transfer", "Assistive device"])],
         "English headers over a by-name beneficiaries list.", {}),
        ("keterangan_kolom.csv", ["Keterangan 1", "Keterangan 2", "Keterangan 3"],
         lambda r, p: [p.name, person_desa(r, p), r.choice(PROGRAMS)],
         "Neutral headers; the first column is person names.", {"encoding": "utf-8-sig"}),
        ("kolom_abc.txt", ["Kolom A", "Kolom B", "Kolom C"],
         lambda r, p: [person_desa(r, p), p.name, r.choice(PPKS)],
         "Neutral headers in a tab-separated UTF-16 export; the second column is names.", {"encoding": "utf-16", "delimiter": "\t"}),
    ]
    for name, header, row, note, opt in specs:
        r = c.rng(name)
        people = make_people(r, r.randint(20, 60), kab=r.randrange(len(KABUPATEN)))
        rows = [row(r, p) for p in people]
        if opt.get("upper"):
            rows = [[str(v).upper() for v in line] for line in rows]
        if opt.get("xlsx"):
            c.xlsx(name, PERSONAL, V, note, [header] + rows)
        else:
            c.csv(name, PERSONAL, V, note, [header] + rows, delimiter=opt.get("delimiter", ","),
                  encoding=opt.get("encoding", "utf-8"))


def people_headers(c: Corpus) -> None:
    """Headers that name a person's attributes, over one row per person."""
    V = "people_headers"
    name = "penerima_ttl.csv"
    r = c.rng(name)
    ppl = make_people(r, 35, kab=1)
    c.csv(name, PERSONAL, V, "Recipients with place and date of birth.",
          [["no", "nama_penerima", "tempat_lahir", "tanggal_lahir", "desa"]]
          + [[i + 1, p.name, r.choice(["Praya", "Mataram", "Kopang", "Sengkol"]), date_text(p.born, 0), person_desa(r, p)]
             for i, p in enumerate(ppl)])

    name = "nama_umur_pekerjaan.csv"
    r = c.rng(name)
    ppl = make_people(r, 42, kab=2)
    c.csv(name, PERSONAL, V, "Name, exact age and occupation per person.",
          [["Nama", "Umur", "Pekerjaan", "Desa"]]
          + [[p.name, 2024 - p.born.year, r.choice(JOBS), person_desa(r, p)] for p in ppl])

    name = "applicants_dob.csv"
    r = c.rng(name)
    ppl = make_people(r, 28)
    c.csv(name, PERSONAL, V, "English: applicant and date of birth.",
          [["Applicant", "Date of Birth", "Village", "Programme"]]
          + [[p.name, p.born.isoformat(), person_desa(r, p), r.choice(PROGRAMS)] for p in ppl])

    name = "participants_age_sex.csv"
    r = c.rng(name)
    ppl = make_people(r, 30, born_from=1970, born_to=2005)
    c.csv(name, PERSONAL, V, "English: participant, age, sex, training.",
          [["Participant", "Age", "Sex", "District", "Training"]]
          + [[p.name, 2024 - p.born.year, "M" if p.sex == "L" else "F", KABUPATEN[p.kab][2],
              r.choice(["Tailoring", "Food processing", "Motorcycle repair"])] for p in ppl])

    name = "members_group_role.xlsx"
    r = c.rng(name)
    ppl = make_people(r, 24, kab=5)
    c.xlsx(name, PERSONAL, V, "English: member, group and role of each person.",
           [["Member", "Group", "Role", "Village"]]
           + [[p.name, f"Karang Taruna {r.choice(['Tunas Muda', 'Bina Remaja', 'Putra Bangsa'])}",
               r.choice(["Chair", "Secretary", "Treasurer", "Member", "Member"]), person_desa(r, p)] for p in ppl])

    name = "penerima_tgl_lahir_jk.csv"
    r = c.rng(name)
    ppl = make_people(r, 50, kab=0)
    c.csv(name, PERSONAL, V, "Recipient, birth date and sex per person, `;`-separated.",
          [["penerima", "tgl lahir", "jenis kelamin", "dusun"]]
          + [[p.name, date_text(p.born, 1), "Laki-laki" if p.sex == "L" else "Perempuan", dusun(r)] for p in ppl],
          delimiter=";")

    name = "kpm_tempat_lahir.csv"
    r = c.rng(name)
    ppl = make_people(r, 38, kab=6)
    c.csv(name, PERSONAL, V, "KPM with place of birth and PKH component.",
          [["KPM", "Tempat Lahir", "Kecamatan", "Komponen"]]
          + [[p.name, r.choice(["Bima", "Sape", "Woha", "Dompu", "Sumbawa Besar"]), KABUPATEN[p.kab][3][p.kec],
              r.choice(["Lansia", "Anak SD", "Ibu Hamil", "Disabilitas Berat"])] for p in ppl])


def _with_holder(rng: random.Random, p: Person) -> str:
    pattern = rng.choice([
        "a/n {n}", "Bpk. {n} (Dusun {d})", "Ibu {n}", "an. {n}, Dusun {d}", "diterima oleh {n}",
        "Sdr. {n}", "korban: {n} dan keluarga", "rumah milik {n} terbakar", "penanggung jawab {n}",
        "diserahkan kepada {n}",
    ])
    return pattern.format(n=p.name, d=dusun(rng))


def names_in_free_text(c: Corpus) -> None:
    """Aggregate tables whose note cells name the people behind a figure."""
    V = "names_in_free_text"
    clean = ["", "-", "Data sementara", "Terverifikasi", ""]

    def notes(r: random.Random, n: int, share: float) -> list[str]:
        ppl = make_people(r, n)
        return [_with_holder(r, p) if r.random() < share else r.choice(clean) for p in ppl]

    name = "kpm_per_kecamatan_keterangan.csv"
    r = c.rng(name)
    kecs = KABUPATEN[1][3]
    ket = notes(r, len(kecs) * 2, 0.6)
    c.csv(name, PERSONAL, V, "KPM counts per kecamatan; notes say 'a/n <name>'.",
          [["kecamatan", "jumlah_kpm", "tahun", "keterangan"]]
          + [[k, r.randint(300, 4000), y, ket[i * 2 + j]] for i, k in enumerate(kecs) for j, y in enumerate((2023, 2024))])

    name = "lansia_per_kabupaten_catatan.csv"
    r = c.rng(name)
    ket = notes(r, 40, 0.5)
    c.csv(name, PERSONAL, V, "Elderly counts per kabupaten and year; notes name individuals with their dusun.",
          [["Kabupaten/Kota", "Tahun", "Jumlah Lansia Terlantar", "Catatan"]]
          + [[k[1], y, id_number(r.randint(400, 6000)), ket[i * 4 + j]]
             for i, k in enumerate(KABUPATEN) for j, y in enumerate(range(2021, 2025))],
          delimiter=";")

    name = "kebakaran_desa_catatan.csv"
    r = c.rng(name)
    ppl = make_people(r, 26)
    rows = []
    for p in ppl:
        kk = r.randint(1, 3)
        rows.append([person_desa(r, p), kk, kk * r.randint(3, 5),
                     f"Rumah {r.choice(['Bpk.', 'Inaq', 'Amaq', 'Ibu'])} {p.name.split(',')[0]} {r.choice(['terbakar', 'rusak berat', 'roboh'])}"])
    c.csv(name, PERSONAL, V, "Disaster KK/jiwa per desa; every note names the household hit.",
          [["desa", "kk_terdampak", "jiwa_terdampak", "catatan"]] + rows)

    name = "distribusi_bantuan_catatan.csv"
    r = c.rng(name)
    items = ["Beras", "Minyak Goreng", "Selimut", "Tenda Keluarga", "Paket Sandang", "Kasur", "Makanan Siap Saji",
             "Family Kit", "Kids Ware", "Matras"]
    ppl = make_people(r, 30)
    rows = []
    for i in range(30):
        note = _with_holder(r, ppl[i]) if i % 3 else r.choice(clean)
        rows.append([items[i % len(items)], r.randint(5, 400), r.choice(["kg", "paket", "lembar", "unit"]), note])
    c.csv(name, PERSONAL, V, "Relief goods delivered; every other note says who received them.",
          [["jenis_bantuan", "jumlah", "satuan", "catatan"]] + rows)

    name = "lks_per_kecamatan_keterangan.xlsx"
    r = c.rng(name)
    ppl = make_people(r, 20, kab=2)
    rows = [[KABUPATEN[2][3][i], r.randint(0, 6), r.choice([f"Ketua: {p.name}", f"Pengurus baru: {p.name}", "-"])]
            for i, p in enumerate(ppl)]
    c.xlsx(name, PERSONAL, V, "LKS counts per kecamatan; notes name the chairs.",
           [["Kecamatan", "Jumlah LKS", "Keterangan"]] + rows,
           above=[["REKAPITULASI LKS KABUPATEN LOMBOK TIMUR TAHUN 2024"], []])

    name = "pengaduan_bulanan_keterangan.csv"
    r = c.rng(name)
    ppl = make_people(r, 24, kab=5)
    rows = []
    for i in range(24):
        p = ppl[i]
        rows.append([MONTHS[i % 12], 2023 + i // 12, r.randint(0, 9),
                     f"pengaduan dari {r.choice(['Bpk.', 'Ibu', 'Sdr.'])} {p.name} (Desa {person_desa(r, p)})" if r.random() < 0.7 else "-"])
    c.csv(name, PERSONAL, V, "Complaints per month; notes name the complainant and village.",
          [["bulan", "tahun", "jumlah_pengaduan", "keterangan"]] + rows)


def nik_split(c: Corpus) -> None:
    """NIKs cut into two or three columns (8+8, or region 6 + birth date 6 + serial 4)."""
    V = "nik_split"
    name = "penerima_nik_8_8.csv"
    r = c.rng(name)
    ppl = make_people(r, 32, kab=2)
    rows = []
    for p in ppl:
        n = nik(r, p)
        rows.append([p.name, n[:8], n[8:], person_desa(r, p)])
    c.csv(name, PERSONAL, V, "Name with the NIK split 8+8 under neutral headers.",
          [["penerima", "bagian_1", "bagian_2", "desa"]] + rows)

    name = "kode_wilayah_tgl_urut.csv"
    r = c.rng(name)
    ppl = make_people(r, 40)
    rows = []
    for p in ppl:
        n = nik(r, p)
        rows.append([n[:6], n[6:12], n[12:], "L" if p.sex == "L" else "P", person_desa(r, p)])
    c.csv(name, PERSONAL, V, "NIK split 6+6+4 (region, birth date, serial); no names.",
          [["kode_wilayah", "kode_tgl", "no_urut", "jk", "desa"]] + rows)

    name = "identitas_lanjutan.csv"
    r = c.rng(name)
    ppl = make_people(r, 45, kab=3)
    rows = []
    for i, p in enumerate(ppl):
        n = nik(r, p)
        rows.append([i + 1, p.name, n[:8], n[8:], r.choice(PROGRAMS)])
    c.csv(name, PERSONAL, V, "NIK split 8+8 over 'Identitas' and '(lanjutan)', `;`-separated.",
          [["No", "Nama", "Identitas", "(lanjutan)", "Program"]] + rows, delimiter=";")

    name = "kode_abc_status.xlsx"
    r = c.rng(name)
    ppl = make_people(r, 30, kab=5)
    rows = []
    for p in ppl:
        n = nik(r, p)
        rows.append([n[:6], n[6:12], n[12:], r.choice(["Aktif", "Graduasi", "Meninggal"])])
    c.xlsx(name, PERSONAL, V, "NIK split 6+6+4 as text cells in a workbook, no names.",
           [["kode_a", "kode_b", "kode_c", "status"]] + rows)

    name = "nomor_1_2_kecamatan.csv"
    r = c.rng(name)
    ppl = make_people(r, 26, kab=8)
    rows = []
    for p in ppl:
        n = nik(r, p)
        rows.append([n[:8], n[8:], KABUPATEN[p.kab][3][p.kec], r.choice(["Lansia", "Anak SD", "Ibu Hamil"])])
    c.csv(name, PERSONAL, V, "NIK split 8+8 under 'nomor_1'/'nomor_2', no names.",
          [["nomor_1", "nomor_2", "kecamatan", "komponen"]] + rows)

    name = "nik_awal_akhir.csv"
    r = c.rng(name)
    ppl = make_people(r, 22, kab=0)
    rows = []
    for p in ppl:
        n = nik(r, p)
        rows.append([p.name, n[:6], n[6:12], n[12:], dusun(r)])
    c.csv(name, PERSONAL, V, "NIK split 6+6+4 under 'NIK (1-6)' etc., with names and dusun.",
          [["Penerima", "NIK (1-6)", "NIK (7-12)", "NIK (13-16)", "Dusun"]] + rows)


def nik_spaced(c: Corpus) -> None:
    """Whole NIKs written with spaces or dots, as people type them off the card."""
    V = "nik_spaced"
    formats = [
        ("penerima_nik_spasi.csv", ["penerima", "nomor", "desa"], lambda n: f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}",
         True, "NIK as '5203 0112 0885 0003' beside names."),
        ("kode_nik_titik.csv", ["kode", "keterangan"], lambda n: f"{n[:4]}.{n[4:8]}.{n[8:12]}.{n[12:]}",
         False, "NIK as '5203.0112.0885.0003' under 'kode', no names."),
        ("nomor_induk_segmen.csv", ["Nama", "Nomor Induk", "Dusun"], lambda n: f"{n[:2]}.{n[2:4]}.{n[4:6]}.{n[6:12]}.{n[12:]}",
         True, "NIK as '52.03.01.120885.0003' (PP.KK.CC.DDMMYY.SSSS), `;`-separated."),
        ("id_6_6_4_spasi.xlsx", ["id", "kecamatan", "program"], lambda n: f"{n[:6]} {n[6:12]} {n[12:]}",
         False, "NIK as '520301 120885 0003' text cells in a workbook."),
        ("nik_apostrof_spasi.csv", ["KPM", "No", "Komponen"], lambda n: f"'{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}",
         True, "NIK typed with Excel's leading apostrophe and spaces."),
    ]
    for name, header, fmt, with_names, note in formats:
        r = c.rng(name)
        ppl = make_people(r, r.randint(22, 50), kab=r.randrange(len(KABUPATEN)))
        rows = []
        for p in ppl:
            n = fmt(nik(r, p))
            if header[0] == "kode":
                rows.append([n, r.choice(["terverifikasi", "belum padan", "padan dukcapil"])])
            elif header[0] == "id":
                rows.append([n, KABUPATEN[p.kab][3][p.kec], r.choice(PROGRAMS)])
            elif header[0] == "Nama":
                rows.append([p.name, n, dusun(r)])
            elif header[0] == "KPM":
                rows.append([p.name, n, r.choice(["Lansia", "Anak SD", "Ibu Hamil"])])
            else:
                rows.append([p.name, n, person_desa(r, p)])
        if name.endswith(".xlsx"):
            c.xlsx(name, PERSONAL, V, note, [header] + rows)
        else:
            c.csv(name, PERSONAL, V, note, [header] + rows, delimiter=";" if "segmen" in name else ",")


def _phone_styled(rng: random.Random, digits: str, style: int) -> str:
    rest = digits[1:]  # 8xx...
    a, b, cc = rest[:3], rest[3:7], rest[7:]
    return [
        f"+62 {a}-{b}-{cc}", f"0{a} {b} {cc}", f"0{a}-{b}-{cc}", f"(+62) {a} {b} {cc}",
        f"62 {a} {b} {cc}", f"+62{a}.{b}.{cc}", f"0{a}.{b}.{cc}", f"+62 {rest}",
    ][style % 8]


def phone_formats(c: Corpus) -> None:
    """Mobile numbers written with +62, spaces, dots and dashes."""
    V = "phone_formats"
    specs = [
        ("kontak_penerima_plus62.csv", ["nama", "desa", "kontak"], [0, 7], ",", "Names with '+62 812-3456-7890' under 'kontak'."),
        ("penerima_no_wa.csv", ["Penerima", "Dusun", "No. WA"], [1, 2], ";", "Names with '0812 3456 7890' under 'No. WA'."),
        ("peserta_hubungi.csv", ["peserta", "asal", "hubungi"], [3, 4], ",", "'(+62) 812 3456 7890' and '62 812 3456 7890'."),
        ("pemohon_keterangan_wa.csv", ["pemohon", "keterangan"], [2, 6], ",", "Numbers inside text: 'WA 0819-0712-3344, sore hari'."),
        ("kpm_seluler.csv", ["kpm", "desa", "seluler"], [5, 1], ",", "'+62812.3456.7890' and spaced numbers under 'seluler'."),
        ("relawan_tagana_kontak.xlsx", ["Relawan", "Pos", "Kontak"], [0, 2, 7], "", "Tagana volunteers with mobiles in a workbook."),
    ]
    for name, header, styles, delim, note in specs:
        r = c.rng(name)
        ppl = make_people(r, r.randint(20, 45), kab=r.randrange(len(KABUPATEN)))
        rows = []
        for i, p in enumerate(ppl):
            ph = _phone_styled(r, mobile_digits(r), styles[i % len(styles)])
            if header[1] == "keterangan":
                rows.append([p.name, r.choice([f"WA {ph}, sore hari", f"hubungi {ph}", f"no. hp {ph} (anak)", ph])])
            elif header[1] == "Pos":
                rows.append([p.name, f"Pos Tagana {KABUPATEN[p.kab][3][p.kec]}", ph])
            else:
                rows.append([p.name, person_desa(r, p) if header[1] != "Dusun" else dusun(r), ph])
        if name.endswith(".xlsx"):
            c.xlsx(name, PERSONAL, V, note, [header] + rows)
        else:
            c.csv(name, PERSONAL, V, note, [header] + rows, delimiter=delim)


def kk_in_kode(c: Corpus) -> None:
    """16-digit family-card (KK) numbers in a column named 'kode'."""
    V = "kk_in_kode"
    name = "kode_kepala_keluarga.csv"
    r = c.rng(name)
    ppl = make_people(r, 34, kab=1)
    c.csv(name, PERSONAL, V, "KK numbers under 'kode' beside household heads.",
          [["kode", "kepala_keluarga", "dusun", "jumlah_anggota"]]
          + [[kk_number(r, p), p.name, dusun(r), r.randint(1, 8)] for p in ppl])

    name = "kode_desa_jiwa_desil.csv"
    r = c.rng(name)
    ppl = make_people(r, 48, kab=3)
    c.csv(name, PERSONAL, V, "KK numbers under 'kode' with household size and decile, no names.",
          [["kode", "desa", "jumlah_jiwa", "desil"]]
          + [[kk_number(r, p), person_desa(r, p), r.randint(1, 9), r.randint(1, 4)] for p in ppl])

    name = "kode_kecamatan_status.csv"
    r = c.rng(name)
    ppl = make_people(r, 27, kab=4)
    c.csv(name, PERSONAL, V, "KK numbers under 'kode', `;`-separated, no names.",
          [["kode", "kecamatan", "status"]]
          + [[kk_number(r, p), KABUPATEN[p.kab][3][p.kec], r.choice(["Aktif", "Nonaktif", "Usulan Baru"])] for p in ppl],
          delimiter=";")

    name = "kode_kk_angka.xlsx"
    r = c.rng(name)
    ppl = make_people(r, 30, kab=9)
    c.xlsx(name, PERSONAL, V, "KK numbers as 16-digit numeric cells under 'kode'.",
           [["kode", "kelurahan", "program"]]
           + [[int(kk_number(r, p)), person_desa(r, p), r.choice(PROGRAMS[:3])] for p in ppl])

    name = "kode_penerima_program.csv"
    r = c.rng(name)
    ppl = make_people(r, 41, kab=7)
    c.csv(name, PERSONAL, V, "KK numbers under 'Kode' beside recipient names.",
          [["No", "Kode", "Penerima", "Program"]]
          + [[i + 1, kk_number(r, p), p.name, r.choice(PROGRAMS[:3])] for i, p in enumerate(ppl)])


def microdata(c: Corpus) -> None:
    """One row per person without names: place + exact age + sex + condition single people out."""
    V = "microdata"

    def persons(r: random.Random, n: int, **kw: Any) -> list[Person]:
        return make_people(r, n, titles=False, **kw)

    name = "disabilitas_per_orang.csv"
    r = c.rng(name)
    ppl = persons(r, 60, kab=1)
    c.csv(name, PERSONAL, V, "Desa, dusun, exact age, sex, disability type, aid status per person.",
          [["desa", "dusun", "umur", "jenis_kelamin", "jenis_disabilitas", "status_bantuan"]]
          + [[person_desa(r, p), dusun(r), 2024 - p.born.year, "Laki-laki" if p.sex == "L" else "Perempuan",
              r.choice(DISABILITIES), r.choice(["Belum menerima", "ATENSI 2023", "ATENSI 2024", "PKH"])] for p in ppl])

    name = "ragam_disabilitas_kecamatan.csv"
    r = c.rng(name)
    ppl = persons(r, 55, kab=4)
    c.csv(name, PERSONAL, V, "Kecamatan, desa, age, L/P, disability per person.",
          [["kecamatan", "desa", "usia", "jk", "ragam_disabilitas"]]
          + [[KABUPATEN[p.kab][3][p.kec], person_desa(r, p), 2024 - p.born.year, p.sex, r.choice(DISABILITIES)] for p in ppl])

    name = "lansia_per_orang.csv"
    r = c.rng(name)
    ppl = persons(r, 50, kab=3, born_from=1930, born_to=1964)
    c.csv(name, PERSONAL, V, "Elderly, one row each: desa, age, sex, marital status, job, aid.",
          [["Desa", "Umur (tahun)", "Jenis Kelamin", "Status Perkawinan", "Pekerjaan", "Status Bantuan"]]
          + [[person_desa(r, p), 2024 - p.born.year, "L" if p.sex == "L" else "P",
              r.choice(["Kawin", "Cerai Mati", "Cerai Hidup", "Belum Kawin"]), r.choice(JOBS),
              r.choice(["PKH Lansia", "Belum", "ATENSI"])] for p in ppl],
          delimiter=";")

    name = "ppks_dusun_umur.csv"
    r = c.rng(name)
    ppl = persons(r, 45, kab=0)
    c.csv(name, PERSONAL, V, "Dusun, age, sex, PPKS category, schooling per person.",
          [["dusun", "umur", "jenis_kelamin", "kategori_ppks", "pendidikan_terakhir"]]
          + [[dusun(r), 2024 - p.born.year, "Laki-laki" if p.sex == "L" else "Perempuan", r.choice(PPKS),
              r.choice(["Tidak Sekolah", "SD", "SMP", "SMA", "D3", "S1"])] for p in ppl])

    name = "disabilitas_alat_bantu.xlsx"
    r = c.rng(name)
    ppl = persons(r, 40, kab=6)
    c.xlsx(name, PERSONAL, V, "Workbook, one row per person: place, age, sex, disability, device.",
           [["Kecamatan", "Desa", "Umur", "L/P", "Jenis Disabilitas", "Alat Bantu", "Bantuan"]]
           + [[KABUPATEN[p.kab][3][p.kec], person_desa(r, p), 2024 - p.born.year, p.sex, r.choice(DISABILITIES),
               r.choice(["Kursi Roda", "Kruk", "Tongkat Adaptif", "Alat Bantu Dengar", "-"]),
               r.choice(["2023", "2024", "Belum"])] for p in ppl])

    name = "anak_lksa_per_anak.csv"
    r = c.rng(name)
    ppl = persons(r, 36, kab=8, born_from=2007, born_to=2020)
    c.csv(name, PERSONAL, V, "Children in an LKSA, one row each: desa of origin, age, sex, status, class.",
          [["asal_desa", "umur", "jenis_kelamin", "status_anak", "kelas"]]
          + [[person_desa(r, p), 2024 - p.born.year, "L" if p.sex == "L" else "P",
              r.choice(["Yatim", "Piatu", "Yatim Piatu", "Dhuafa"]), r.choice(["SD 3", "SD 5", "SMP 1", "SMP 2", "SMA 1", "Belum Sekolah"])]
             for p in ppl])


def lowercase_names_with_dusun(c: Corpus) -> None:
    """Names typed in lowercase next to the dusun they live in."""
    V = "lowercase_names_with_dusun"
    specs = [
        ("penerima_dusun_kecil.csv", ["penerima", "dusun", "desa"], ",", "lowercase names, 'Dusun Kebon Baru', desa."),
        ("kpm_dsn_ket.csv", ["kpm", "dsn", "ket"], ";", "lowercase names with 'dsn. lendang bajur'."),
        ("peserta_asal_dusun.csv", ["peserta", "asal_dusun"], ",", "lowercase participants and their dusun."),
        ("kolom_1_2_3_kecil.csv", ["kolom_1", "kolom_2", "kolom_3"], ",", "neutral headers over lowercase names and dusun."),
        ("kepala_keluarga_dusun.xlsx", ["kepala keluarga", "dusun", "desa"], "", "lowercase household heads by dusun in a workbook."),
    ]
    for name, header, delim, note in specs:
        r = c.rng(name)
        ppl = make_people(r, r.randint(20, 55), kab=r.randrange(4), titles=r.random() < 0.5)
        rows = []
        for p in ppl:
            n = p.name.lower()
            d = dusun(r).lower()
            if header[1] == "dsn":
                rows.append([n, f"dsn. {d}", r.choice(["pkh", "bpnt", "", "-"])])
            elif len(header) == 2:
                rows.append([n, f"dusun {d}"])
            elif header[0] == "kolom_1":
                rows.append([f"dusun {d}", n, r.choice(PROGRAMS).lower()])
            else:
                rows.append([n, f"Dusun {d.title()}", person_desa(r, p)])
        if name.endswith(".xlsx"):
            c.xlsx(name, PERSONAL, V, note, [header] + rows)
        else:
            c.csv(name, PERSONAL, V, note, [header] + rows, delimiter=delim)


def names_with_birth_dates(c: Corpus) -> None:
    """Names beside birth dates under headers that no list has."""
    V = "names_with_birth_dates"
    specs = [
        ("penerima_tgl.csv", ["Penerima", "Tgl", "Desa"], 0, ",", "Names with 'dd-mm-yyyy' under 'Tgl'."),
        ("peserta_waktu.csv", ["Peserta", "Waktu", "Asal"], 1, ";", "Names with 'dd/mm/yyyy' under 'Waktu'."),
        ("kolom_a_b_iso.csv", ["Kolom A", "Kolom B"], 2, ",", "Names with ISO dates under 'Kolom A'/'Kolom B'."),
        ("kpm_lahir_bulan.csv", ["kpm", "lahir", "desa"], 3, ",", "Names with '12 Agustus 1985' under 'lahir'."),
        ("anggota_tanggal.xlsx", ["Anggota", "Tanggal", "Kelompok"], -1, "", "Names with real Excel date cells."),
        ("data_1_data_2.csv", ["Data 1", "Data 2"], 4, ",", "Names with 'Praya, 12.08.1985' (place, date) under 'Data 2'."),
    ]
    for name, header, style, delim, note in specs:
        r = c.rng(name)
        ppl = make_people(r, r.randint(20, 60), kab=r.randrange(len(KABUPATEN)))
        rows = []
        for p in ppl:
            if style == -1:
                born: Any = dt.datetime(p.born.year, p.born.month, p.born.day)
            elif name.startswith("data_1"):
                born = f"{r.choice(KABUPATEN[p.kab][3])}, {date_text(p.born, style)}"
            else:
                born = date_text(p.born, style)
            row = [p.name, born]
            if len(header) > 2:
                row.append(r.choice(["KUBE Sejahtera", "KUBE Mandiri"]) if style == -1 else person_desa(r, p))
            rows.append(row)
        if name.endswith(".xlsx"):
            c.xlsx(name, PERSONAL, V, note, [header] + rows)
        else:
            c.csv(name, PERSONAL, V, note, [header] + rows, delimiter=delim)


LKS_WORDS = ["LKSA", "LKS", "Yayasan", "Panti Asuhan", "LKS Lansia", "Pondok Pesantren", "LKS Disabilitas"]
LKS_NAMES = ["Darul Hikmah", "Al-Ikhlas", "Nurul Iman", "Budi Luhur", "Harapan Bangsa", "Nurul Haramain",
             "Al-Hidayah", "Mutiara Hati", "Kasih Ibu", "Bina Insani", "Putra Harapan", "Al-Falah",
             "Baitul Yatim", "Tunas Bangsa", "Insan Mandiri", "Darussalam", "Ash-Shiddiqiyah", "Mandalika",
             "Rinjani Peduli", "Samawa Rea", "Dana Mbojo", "Nur Rahmah", "Bintang Timur", "Cahaya Hati"]
STREETS = ["Jl. Pejanggik", "Jl. Gajah Mada", "Jl. Sultan Kaharuddin", "Jl. Soekarno-Hatta", "Jl. Langko",
           "Jl. TGH. Faisal", "Jl. Raya Praya-Kopang", "Jl. Lintas Sumbawa", "Jl. Majapahit", "Jl. Bung Karno",
           "Jl. Gora", "Jl. Dr. Wahidin", "Jl. Raya Sembalun", "Jl. Lingkar Selatan", "Jl. Sriwijaya",
           "Jl. Diponegoro", "Jl. Sudirman", "Jl. Raya Tanjung", "Jl. Garuda", "Jl. Datuk Dibanta"]


def lks_name(rng: random.Random) -> str:
    return f"{rng.choice(LKS_WORDS)} {rng.choice(LKS_NAMES)}"


def office_address(rng: random.Random, k: int) -> str:
    town = {"52.01": "Gerung", "52.02": "Praya", "52.03": "Selong", "52.04": "Sumbawa Besar", "52.05": "Dompu",
            "52.06": "Woha", "52.07": "Taliwang", "52.08": "Tanjung", "52.71": "Mataram", "52.72": "Raba"}[KABUPATEN[k][0]]
    return rng.choice([f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, {town}",
                       f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}",
                       f"{rng.choice(STREETS)} Km. {rng.randint(2, 12)}, {town}"])


def directory_head_mobile(c: Corpus) -> None:
    """LKS directories that name the head and give the head's own mobile number."""
    V = "directory_head_mobile"

    def lks(r: random.Random, n: int) -> list[tuple[str, int, Person, str]]:
        out, seen = [], set()
        heads = make_people(r, n)
        while len(out) < n:
            nm = lks_name(r)
            if nm in seen:
                continue
            seen.add(nm)
            head = heads[len(out)]
            out.append((nm, head.kab, head, mobile_digits(r)))
        return out

    name = "direktori_lks_ketua_hp.csv"
    r = c.rng(name)
    c.csv(name, PERSONAL, V, "nama_lks, alamat_kantor, kabupaten, ketua, no_hp_ketua.",
          [["nama_lks", "alamat_kantor", "nama_kabupaten_kota", "ketua", "no_hp_ketua"]]
          + [[nm, office_address(r, k), KABUPATEN[k][1], h.name, _phone_styled(r, m, 2)] for nm, k, h, m in lks(r, 24)])

    name = "lks_alamat_ketua_kontak.csv"
    r = c.rng(name)
    c.csv(name, PERSONAL, V, "Nama LKS; Alamat; Ketua; Kontak (the head's mobile), `;`-separated.",
          [["Nama LKS", "Alamat", "Ketua", "Kontak"]]
          + [[nm, office_address(r, k), h.name, _phone_styled(r, m, 1)] for nm, k, h, m in lks(r, 30)],
          delimiter=";")

    name = "lembaga_keterangan_ketua.csv"
    r = c.rng(name)
    c.csv(name, PERSONAL, V, "Institution and kecamatan; the note says 'Ketua: <name>, <mobile>'.",
          [["lembaga", "kecamatan", "keterangan"]]
          + [[nm, KABUPATEN[k][3][h.kec], f"Ketua: {h.name}, {_phone_styled(r, m, 2)}"] for nm, k, h, m in lks(r, 22)])

    name = "lembaga_pimpinan_hp.csv"
    r = c.rng(name)
    c.csv(name, PERSONAL, V, "Institution, service, pimpinan and 'hp'.",
          [["nama_lembaga", "jenis_layanan", "pimpinan", "hp"]]
          + [[nm, r.choice(["Anak", "Lanjut Usia", "Disabilitas", "Korban NAPZA"]), h.name, m] for nm, k, h, m in lks(r, 26)])

    name = "yayasan_telp_kantor_hp_ketua.xlsx"
    r = c.rng(name)
    c.xlsx(name, PERSONAL, V, "Office phone (public) beside the head's name and mobile (not).",
           [["Nama Yayasan", "Alamat Kantor", "Telp Kantor", "Ketua", "HP Ketua"]]
           + [[nm, office_address(r, k), office_phone(r, KABUPATEN[k][0], 0), h.name, _phone_styled(r, m, 0)]
              for nm, k, h, m in lks(r, 20)])

    name = "lksa_pengurus.csv"
    r = c.rng(name)
    c.csv(name, PERSONAL, V, "LKSA and kabupaten; 'Pengurus' holds 'Ketua: <name> (<mobile>)'.",
          [["LKSA", "Kabupaten", "Pengurus"]]
          + [[nm, KABUPATEN[k][2], f"Ketua: {h.name} ({_phone_styled(r, m, 1)})"] for nm, k, h, m in lks(r, 28)])


# ============================================================================ aggregate files

PMKS_TYPES = ["Anak Terlantar", "Anak Jalanan", "Anak Berhadapan dengan Hukum", "Lanjut Usia Terlantar",
              "Penyandang Disabilitas", "Tuna Susila", "Gelandangan", "Pengemis", "Pemulung",
              "Korban Penyalahgunaan NAPZA", "Orang dengan HIV/AIDS", "Korban Tindak Kekerasan",
              "Pekerja Migran Bermasalah Sosial", "Korban Bencana Alam", "Korban Bencana Sosial",
              "Perempuan Rawan Sosial Ekonomi", "Fakir Miskin", "Keluarga Bermasalah Sosial Psikologis",
              "Komunitas Adat Terpencil"]
PSKS_TYPES = ["Pekerja Sosial Profesional", "Pekerja Sosial Masyarakat", "Taruna Siaga Bencana",
              "Karang Taruna", "Lembaga Kesejahteraan Sosial", "Tenaga Kesejahteraan Sosial Kecamatan",
              "Wanita Pemimpin Kesejahteraan Sosial", "Penyuluh Sosial", "Dunia Usaha", "Keluarga Pioner"]
SOURCE = ["Sumber: Dinas Sosial Provinsi NTB"]


def kab_name(k: int, style: int) -> str:
    _, full, short, _ = KABUPATEN[k]
    plain = full.replace("Kabupaten ", "")
    return [full, full.upper(), full.replace("Kabupaten", "Kab."), plain, short][style % 5]


def region_tables(c: Corpus) -> None:
    """kode/nama kabupaten_kota x category x tahun with counts, zeros and small cells."""
    V = "region_counts"
    name = "pmks_kabupaten_2021_2023.csv"
    r = c.rng(name)
    types = r.sample(PMKS_TYPES, 3)
    rows = [[kab_code(k), kab_name(k, 0), t, small_count(r, 900), y] for y in (2021, 2022) for k in range(10) for t in types]
    c.csv(name, AGGREGATE, V, "Long form PMKS counts per kabupaten, category and year (zeros, small cells).",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "jenis_pmks", "jumlah", "tahun"]] + rows)

    name = "pmks_kab_kode_4digit.csv"
    r = c.rng(name)
    types = r.sample(PMKS_TYPES, 4)
    rows = [[kab_code(k, False), kab_name(k, 1), t, small_count(r, 300), "jiwa", 2023] for k in range(10) for t in types]
    c.csv(name, AGGREGATE, V, "Codes as 5201, names in capitals, `;`-separated.",
          [["KODE_KAB", "NAMA_KABUPATEN_KOTA", "JENIS_PMKS", "JUMLAH", "SATUAN", "TAHUN"]] + rows, delimiter=";")

    name = "pmks_wide_ribuan.csv"
    r = c.rng(name)
    types = ["Fakir Miskin", "Anak Terlantar", "Lanjut Usia Terlantar", "Penyandang Disabilitas", "Korban Bencana Alam"]
    rows = [[kab_name(k, 0), y] + [id_number(r.randint(100, 70000) if t == "Fakir Miskin" else r.randint(0, 6000)) for t in types]
            for y in (2022, 2023) for k in range(10)]
    c.csv(name, AGGREGATE, V, "Wide form with '1.234' thousands, UTF-8 with BOM, `;`.",
          [["Kabupaten/Kota", "Tahun"] + types] + rows, delimiter=";", encoding="utf-8-sig")

    name = "psks_per_kabupaten_2024.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 2), t, small_count(r, 250), 2024] for k in range(10) for t in PSKS_TYPES[:6]]
    c.csv(name, AGGREGATE, V, "PSKS (Tagana, Karang Taruna, pekerja sosial...) per kabupaten.",
          [["kode_wilayah", "wilayah", "jenis_psks", "jumlah", "tahun"]] + rows)

    name = "odha_napza_per_kabupaten.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 3), t, y, small_count(r, 20)] for k in range(10)
            for t in ("Orang dengan HIV/AIDS", "Korban Penyalahgunaan NAPZA") for y in (2022, 2023)]
    c.csv(name, AGGREGATE, V, "Sensitive categories with small counts (1, 2) per kabupaten and year.",
          [["kode_kabupaten_kota", "kabupaten_kota", "kategori", "tahun", "jumlah_orang"]] + rows)

    name = "anak_lksa_per_kabupaten_jk.xlsx"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 0), jk, r.randint(0, 180), 2024] for k in range(10) for jk in ("Laki-laki", "Perempuan")]
    total = sum(x[3] for x in rows)
    c.xlsx(name, AGGREGATE, V, "Children in LKSA per kabupaten and sex; title rows and a Jumlah row.",
           [["Kode", "Kabupaten/Kota", "Jenis Kelamin", "Jumlah Anak", "Tahun"]] + rows,
           above=[["JUMLAH ANAK ASUH LKSA MENURUT KABUPATEN/KOTA DAN JENIS KELAMIN"], ["PROVINSI NUSA TENGGARA BARAT TAHUN 2024"], []],
           below=[["", "Jumlah", "", total, ""], [], SOURCE])

    name = "pmks_singkatan_kabupaten.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 4), t, r.randint(0, 4000)] for k in range(10) for t in ("Fakir Miskin", "Lansia Terlantar", "Disabilitas")]
    c.csv(name, AGGREGATE, V, "Short kabupaten names (Lobar, Loteng, KSB, KLU).",
          [["Kab/Kota", "Kategori", "Jumlah"]] + rows)

    name = "pmks_kecamatan_lombok_tengah.csv"
    r = c.rng(name)
    rows = [[f"52.02.{i + 1:02d}", kec, r.randint(0, 1500), small_count(r, 80), small_count(r, 40), y]
            for y in (2022, 2023) for i, kec in enumerate(KABUPATEN[1][3])]
    c.csv(name, AGGREGATE, V, "Kecamatan codes 52.02.01 and names, three categories.",
          [["kode_kecamatan", "nama_kecamatan", "fakir_miskin", "anak_terlantar", "lansia_terlantar", "tahun"]] + rows)

    name = "desa_kode_10_digit.csv"
    r = c.rng(name)
    rows = []
    for i in range(40):
        kec = r.randrange(len(KABUPATEN[2][3]))
        rows.append([f"52.03.{kec + 1:02d}.{2000 + i + 1:04d}", r.choice(DESA[16:24]), KABUPATEN[2][3][kec],
                     r.randint(10, 900), 2024])
    c.csv(name, AGGREGATE, V, "Desa codes '52.03.05.2001' (10 digits) with KK miskin counts.",
          [["kode_desa", "nama_desa", "nama_kecamatan", "jumlah_kk_miskin", "tahun"]] + rows)

    name = "pmks_kabupaten_cp1252.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 0), r.randint(0, 50), r.randint(0, 50), r.randint(0, 9), y]
            for y in (2022, 2023, 2024) for k in range(10)]
    c.csv(name, AGGREGATE, V, "Windows-1252 export with counts of anak jalanan, gelandangan, pengemis.",
          [["Kode", "Kabupaten/Kota", "Anak Jalanan", "Gelandangan", "Pengemis", "Tahun"]] + rows, encoding="cp1252")


def more_region_tables(c: Corpus) -> None:
    V = "region_counts"
    name = "veteran_per_kabupaten.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 0), st, small_count(r, 30), y] for y in (2023, 2024) for k in range(10)
            for st in ("Veteran Pejuang", "Janda/Duda Veteran")]
    c.csv(name, AGGREGATE, V, "Veterans and their widows per kabupaten (small counts).",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "status", "jumlah", "tahun"]] + rows)

    name = "peksos_sertifikasi_jk.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 2), s, jk, small_count(r, 25)] for k in range(10) for s in ("Bersertifikat", "Belum")
            for jk in ("L", "P")]
    c.csv(name, AGGREGATE, V, "Social workers per kabupaten by certification and sex (L/P), `;`.",
          [["Kabupaten/Kota", "Sertifikasi", "Jenis Kelamin", "Jumlah"]] + rows, delimiter=";")


def activity_tables(c: Corpus) -> None:
    V = "activity_dates"
    name = "pelatihan_angkatan_tanggal.csv"
    r = c.rng(name)
    rows = []
    for i in range(24):
        start = dt.date(2024, 1, 8) + dt.timedelta(days=14 * i + r.randint(0, 3))
        rows.append([r.choice(["Diklat Tagana", "Bimtek Pendamping PKH", "Pelatihan Pekerja Sosial", "Bimtek Operator SIKS-NG"]),
                     f"Angkatan {i % 4 + 1}", date_text(start, 0), date_text(start + dt.timedelta(days=r.randint(2, 5)), 0),
                     r.choice(["Aula Dinas Sosial Provinsi NTB", "UPT PSTW Puspakarma", "Pusdiklat Tagana NTB"]),
                     r.randint(10, 40), r.randint(5, 40)])
    c.csv(name, AGGREGATE, V, "Training batches with start/end dates (dd-mm-yyyy), venue and participant counts by sex.",
          [["kegiatan", "angkatan", "tanggal_mulai", "tanggal_selesai", "tempat", "peserta_laki_laki", "peserta_perempuan"]] + rows)


def lks_directories(c: Corpus) -> None:
    """LKS directories: institution names, office addresses and office landlines are public."""
    V = "lks_directory"

    def institutions(r: random.Random, n: int) -> list[tuple[str, int]]:
        out, seen = [], set()
        while len(out) < n:
            nm = lks_name(r)
            if nm not in seen:
                seen.add(nm)
                out.append((nm, r.randrange(len(KABUPATEN))))
        return out

    name = "direktori_lks_mitra_2024.csv"
    r = c.rng(name)
    c.csv(name, AGGREGATE, V, "Like the office's published partner list: name, office address, kabupaten, service.",
          [["nama_lks", "alamat_kantor", "kode_kabupaten_kota", "nama_kabupaten_kota", "jenis_layanan", "akreditasi"]]
          + [[nm, office_address(r, k), kab_code(k), kab_name(k, 0), r.choice(["Anak", "Lanjut usia", "Disabilitas", "Rehabilitasi sosial"]),
              r.choice("ABC") if r.random() < 0.7 else "Belum"] for nm, k in institutions(r, 30)])

    name = "direktori_lks_telepon_kantor.csv"
    r = c.rng(name)
    c.csv(name, AGGREGATE, V, "Office landlines like '(0370) 644264' under 'telepon_kantor'.",
          [["nama_lks", "alamat_kantor", "telepon_kantor", "kabupaten_kota"]]
          + [[nm, office_address(r, k), office_phone(r, KABUPATEN[k][0], 0), kab_name(k, 0)] for nm, k in institutions(r, 26)])

    name = "lembaga_alamat_telp.csv"
    r = c.rng(name)
    c.csv(name, AGGREGATE, V, "Headers just 'Alamat' and 'Telp' as offices write them; all institutional.",
          [["Nama Lembaga", "Alamat", "Telp", "Kabupaten/Kota"]]
          + [[nm, office_address(r, k), office_phone(r, KABUPATEN[k][0], i), kab_name(k, 2)]
             for i, (nm, k) in enumerate(institutions(r, 24))], delimiter=";")

    name = "lksa_izin_operasional.xlsx"
    r = c.rng(name)
    c.xlsx(name, AGGREGATE, V, "LKSA with operating-licence numbers '503/123/DPMPTSP/2019' and children counts.",
           [["Nama LKSA", "Kabupaten/Kota", "No. Izin Operasional", "Jumlah Anak Asuh", "Jumlah Pengasuh"]]
           + [[nm, kab_name(k, 0), f"503/{r.randint(10, 999)}/DPMPTSP/{r.randint(2015, 2023)}", r.randint(8, 90), r.randint(1, 9)]
              for nm, k in institutions(r, 25)])

    name = "lks_tanda_daftar.csv"
    r = c.rng(name)
    c.csv(name, AGGREGATE, V, "Registration numbers '460/1234/Dinsos/2022', accreditation year.",
          [["nama_lks", "nomor_tanda_daftar", "tahun_akreditasi", "nilai_akreditasi", "kabupaten_kota"]]
          + [[nm, f"460/{r.randint(100, 4999)}/Dinsos/{r.randint(2018, 2024)}", r.randint(2019, 2024), r.choice("ABC"), kab_name(k, 3)]
             for nm, k in institutions(r, 32)])

    name = "panti_kapasitas.csv"
    r = c.rng(name)
    c.csv(name, AGGREGATE, V, "Panti and pondok pesantren with capacity and residents.",
          [["nama_lembaga", "alamat_lembaga", "kapasitas", "jumlah_penghuni", "kabupaten"]]
          + [[nm, office_address(r, k), cap, r.randint(0, cap), kab_name(k, 0)]
             for nm, k in institutions(r, 22) for cap in [r.choice([20, 30, 40, 50, 60, 100])]])

    name = "upt_balai_kontak_kantor.csv"
    r = c.rng(name)
    units = ["UPT Panti Sosial Tresna Werdha Puspakarma", "UPT Panti Sosial Asuhan Anak Harapan",
             "UPT Panti Sosial Marsudi Putra Paramita", "UPT Panti Sosial Bina Laras Mutmainah",
             "UPT Pelayanan Sosial Bina Remaja", "Balai Rehabilitasi Sosial Paramita",
             "Sentra Paramita Mataram", "Dinas Sosial Kabupaten Lombok Barat", "Dinas Sosial Kabupaten Lombok Tengah",
             "Dinas Sosial Kabupaten Lombok Timur", "Dinas Sosial Kabupaten Sumbawa", "Dinas Sosial Kabupaten Dompu",
             "Dinas Sosial Kabupaten Bima", "Dinas Sosial Kabupaten Sumbawa Barat", "Dinas Sosial Kabupaten Lombok Utara",
             "Dinas Sosial Kota Mataram", "Dinas Sosial Kota Bima", "Dinas Sosial Provinsi NTB", "Sekretariat TKSK Provinsi NTB",
             "Pusdiklat Tagana NTB"]
    ks = [0, 0, 8, 8, 8, 8, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 8, 8]
    c.csv(name, AGGREGATE, V, "Government units with office address, office phone and website.",
          [["unit", "alamat_kantor", "telepon_kantor", "laman"]]
          + [[u, office_address(r, k), office_phone(r, KABUPATEN[k][0], i), "dinsos.ntbprov.go.id"]
             for i, (u, k) in enumerate(zip(units, ks))])

    name = "karang_taruna_per_desa.csv"
    r = c.rng(name)
    words = ["Tunas Harapan", "Bina Remaja", "Putra Bangsa", "Mekar Sari", "Citra Muda", "Bintang Muda", "Gema Pemuda"]
    rows = []
    for i in range(30):
        k = r.randrange(3)
        rows.append([f"Karang Taruna {r.choice(words)} {r.choice(DESA[:24])}", r.choice(DESA[:24]), KABUPATEN[k][3][r.randrange(len(KABUPATEN[k][3]))],
                     kab_name(k, 3), r.choice(["Tumbuh", "Berkembang", "Maju", "Percontohan"])])
    c.csv(name, AGGREGATE, V, "Karang Taruna by desa with development status.",
          [["nama_organisasi", "desa", "kecamatan", "kabupaten", "status"]] + rows)


def programme_tables(c: Corpus) -> None:
    """PKH/BPNT/PBI recipients per kabupaten."""
    V = "programme"
    name = "pkh_bpnt_tahap_2024.csv"
    r = c.rng(name)
    rows = []
    for k in range(10):
        for prog, per in (("PKH", 750000), ("BPNT", 200000)):
            kpm = r.randint(5000, 110000)
            rows.append([kab_code(k), kab_name(k, 0), prog, "Tahap 1", kpm, kpm * per, 2024])
    c.csv(name, AGGREGATE, V, "KPM and rupiah per kabupaten and programme.",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "program", "tahap", "jumlah_kpm", "nilai_bantuan_rp", "tahun"]] + rows)

    name = "bpnt_bulanan_2023.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 0), MONTHS[m], r.randint(5000, 100000), 2023] for k in range(10) for m in range(0, 12, 3)]
    c.csv(name, AGGREGATE, V, "BPNT KPM per kabupaten per quarter month.",
          [["kabupaten_kota", "bulan", "jumlah_kpm", "tahun"]] + rows)

    name = "pbi_jk_peserta.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 2), r.randint(30000, 500000), r.randint(1000, 90000), y] for y in (2023, 2024) for k in range(10)]
    c.csv(name, AGGREGATE, V, "PBI-JK members (APBN, APBD) per kabupaten.",
          [["kode", "kabupaten_kota", "peserta_pbi_apbn", "peserta_pbi_apbd", "tahun"]] + rows)

    name = "bansos_wide_titik_koma.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 0), sem, id_number(r.randint(5000, 110000)), id_number(r.randint(8000, 150000)),
             id_number(r.randint(30000, 500000))] for sem in ("Semester I", "Semester II") for k in range(10)]
    c.csv(name, AGGREGATE, V, "Wide: PKH; BPNT; PBI-JK with thousands dots, title row.",
          [["Kabupaten/Kota", "Semester", "PKH", "BPNT", "PBI-JK"]] + rows, delimiter=";",
          above=[["Jumlah KPM Bantuan Sosial per Kabupaten/Kota Tahun 2024"]], below=[SOURCE])

    name = "rekap_bansos_2024.xlsx"
    r = c.rng(name)
    rows = [[i + 1, kab_name(i % 10, 0), t, r.randint(5000, 110000), r.randint(8000, 150000)]
            for i, t in enumerate(["Tahap 1"] * 10 + ["Tahap 2"] * 10)]
    c.xlsx(name, AGGREGATE, V, "Workbook with title rows, numbering row (1)(2)(3) and a Jumlah row.",
           [["No", "Kabupaten/Kota", "Tahap", "KPM PKH", "KPM BPNT"], ["(1)", "(2)", "(3)", "(4)", "(5)"]] + rows,
           above=[["REKAPITULASI PENERIMA BANTUAN SOSIAL"], ["TAHUN 2024"], []],
           below=[["", "Jumlah", "", sum(x[3] for x in rows), sum(x[4] for x in rows)]])

    name = "sembako_per_kecamatan.csv"
    r = c.rng(name)
    rows = [[kec, r.randint(200, 9000), r.randint(0, 300), y] for y in (2023, 2024) for kec in KABUPATEN[3][3]]
    c.csv(name, AGGREGATE, V, "Sembako KPM per kecamatan of Sumbawa, with the replaced ones.",
          [["kecamatan", "kpm_sembako", "kpm_pengganti", "tahun"]] + rows)

    name = "rutilahu_per_kabupaten.csv"
    r = c.rng(name)
    rows = []
    for y in (2022, 2023, 2024):
        for k in range(10):
            units = r.randint(0, 120)
            rows.append([kab_code(k), kab_name(k, 0), y, units, units * 20_000_000])
    c.csv(name, AGGREGATE, V, "House repairs (RTLH) per kabupaten and year, with the rupiah spent.",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "tahun", "jumlah_unit", "anggaran_rp"]] + rows)

    name = "dtks_per_desil.csv"
    r = c.rng(name)
    rows = []
    for k in range(10):
        for d in range(1, 5):
            kk = r.randint(3000, 90000)
            rows.append([kab_name(k, 0), f"Desil {d}", kk, kk * r.randint(3, 4), 2024])
    c.csv(name, AGGREGATE, V, "Welfare-register households and people per kabupaten and decile.",
          [["kabupaten_kota", "desil", "jumlah_kk", "jumlah_jiwa", "tahun"]] + rows)


def region_names_in_cells(c: Corpus) -> None:
    """Cells full of kabupaten, kecamatan and desa names (capitalised words, not people)."""
    V = "region_names_in_cells"
    name = "kecamatan_per_kabupaten.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 0), kec, r.randint(3, 20), r.randint(0, 6)] for k in range(10) for kec in KABUPATEN[k][3][:6]]
    c.csv(name, AGGREGATE, V, "Every kecamatan per kabupaten with desa/kelurahan counts.",
          [["kabupaten_kota", "kecamatan", "jumlah_desa", "jumlah_kelurahan"]] + rows)

    name = "wilayah_teks_gabungan.csv"
    r = c.rng(name)
    rows = []
    for i in range(30):
        k = r.randrange(10)
        rows.append([f"Kec. {r.choice(KABUPATEN[k][3])}, {kab_name(k, 2)}", r.choice(PMKS_TYPES[:6]), r.randint(0, 400)])
    c.csv(name, AGGREGATE, V, "'Kec. Praya Barat Daya, Kab. Lombok Tengah' strings with counts.",
          [["wilayah", "kategori", "jumlah"]] + rows)

    name = "lokasi_kegiatan_peserta.csv"
    r = c.rng(name)
    rows = []
    for i in range(26):
        k = r.randrange(10)
        rows.append([r.choice(["Bimtek Tagana", "Sosialisasi PKH", "Pelatihan KUBE", "Rakor TKSK"]),
                     f"Desa {r.choice(DESA)}, Kecamatan {r.choice(KABUPATEN[k][3])}", r.randint(15, 120), f"{MONTHS[r.randrange(12)]} 2024"])
    c.csv(name, AGGREGATE, V, "Activity locations 'Desa X, Kecamatan Y' with participant counts.",
          [["kegiatan", "lokasi", "jumlah_peserta", "waktu"]] + rows)

    name = "desa_tanpa_awalan.csv"
    r = c.rng(name)
    desa = r.sample(DESA, 36)
    rows = [[d, r.choice(KABUPATEN[r.randrange(10)][3]), r.randint(5, 700), r.randint(0, 60)] for d in desa]
    c.csv(name, AGGREGATE, V, "Desa names without 'Desa' (Sembalun Lawang, Batu Putih) with KK counts.",
          [["desa", "kecamatan", "kk_miskin", "rumah_tidak_layak_huni"]] + rows)

    name = "kecamatan_uppercase_xlsx.xlsx"
    r = c.rng(name)
    rows = [[kab_name(k, 1), kec.upper(), r.randint(0, 30), r.randint(0, 30)] for k in (4, 5, 9) for kec in KABUPATEN[k][3]]
    c.xlsx(name, AGGREGATE, V, "Kecamatan of Dompu, Bima and Kota Bima in capitals with Tagana and PSM counts.",
           [["KABUPATEN/KOTA", "KECAMATAN", "TAGANA", "PSM"]] + rows, above=[["PULAU SUMBAWA BAGIAN TIMUR"]])

    name = "kat_lokasi_pemberdayaan.csv"
    r = c.rng(name)
    rows = []
    for i in range(24):
        k = r.choice([1, 2, 3, 5, 7])
        rows.append([f"Dusun {dusun(r)}, Desa {r.choice(DESA)}, Kec. {r.choice(KABUPATEN[k][3])}", kab_name(k, 3),
                     r.randint(20, 120), r.randint(60, 450), r.randint(2016, 2024), f"Tahun ke-{r.randint(1, 3)}"])
    c.csv(name, AGGREGATE, V, "Remote indigenous community (KAT) sites by dusun/desa/kecamatan with KK and jiwa.",
          [["lokasi", "kabupaten", "jumlah_kk", "jumlah_jiwa", "tahun_mulai", "tahap"]] + rows)

    name = "tksk_per_kecamatan.xlsx"
    r = c.rng(name)
    rows = [[kab_name(k, 0), kec, r.choice([1, 1, 1, 1, 2]), r.choice([0, 1, 1])] for k in (0, 7, 8) for kec in KABUPATEN[k][3]]
    c.xlsx(name, AGGREGATE, V, "One or two TKSK per kecamatan (counts of 1 and 2, not people).",
           [["Kabupaten/Kota", "Kecamatan", "Jumlah TKSK", "Aktif Melapor"]] + rows)


def clean_notes(c: Corpus) -> None:
    """Keterangan/Catatan notes that mention no person."""
    V = "clean_notes"
    phrases = ["Data sementara", "Termasuk Kota Bima", "Belum termasuk Kecamatan Sape", "Sumber: Dinsos Kab. Dompu",
               "Angka perbaikan", "Data per 31 Desember 2023", "Tidak ada kejadian", "-", "", "Hasil verifikasi lapangan",
               "Menunggu SK Bupati", "Termasuk 2 LKS baru", "Data Dinas Sosial Kabupaten", "Belum lapor"]
    name = "lansia_keterangan_bersih.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 0), r.randint(0, 5000), y, r.choice(phrases)] for k in range(10) for y in (2022, 2023, 2024)]
    c.csv(name, AGGREGATE, V, "Elderly counts; notes like 'Data sementara', 'Termasuk Kota Bima'.",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "jumlah_lansia", "tahun", "keterangan"]] + rows)

    name = "bencana_catatan_bersih.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 3), r.randint(0, 6), small_count(r), r.choice(phrases)] for k in range(10) for _ in range(3)]
    c.csv(name, AGGREGATE, V, "Disaster events with people-free notes, `;`.",
          [["Kabupaten", "Kejadian", "KK", "Catatan"]] + rows, delimiter=";")

    name = "lks_catatan_akreditasi.csv"
    r = c.rng(name)
    notes = ["Akreditasi ulang 2025", "Izin dalam proses", "Terakreditasi B", "Pindah alamat kantor", "Tidak aktif",
             "Data Dinas Sosial Kabupaten", "-"]
    rows = [[kab_name(k, 0), j, r.randint(0, 25), r.randint(0, 8), r.choice(notes)] for k in range(10)
            for j in ("Anak", "Lanjut Usia", "Disabilitas")]
    c.csv(name, AGGREGATE, V, "LKS counts by service with accreditation notes.",
          [["kabupaten_kota", "jenis_layanan", "jumlah_lks", "terakreditasi", "keterangan"]] + rows,
          below=[["Keterangan: data per 31 Desember 2024"], SOURCE])

    name = "kube_catatan.xlsx"
    r = c.rng(name)
    rows = [[kab_name(k, 0), y, r.randint(0, 120), r.randint(0, 40), r.choice(phrases)] for y in (2023, 2024) for k in range(10)]
    c.xlsx(name, AGGREGATE, V, "KUBE counts per kabupaten with notes, in a workbook.",
           [["Kabupaten/Kota", "Tahun", "Jumlah KUBE", "KUBE Baru", "Catatan"]] + rows)


def budget_tables(c: Corpus) -> None:
    """Budgets with account codes (Kode Rekening) and rupiah in Indonesian format."""
    V = "budget_codes"
    accounts = [
        ("5.1.02.01.01.0024", "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor"),
        ("5.1.02.01.01.0026", "Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Cetak"),
        ("5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat"),
        ("5.1.02.02.01.0003", "Honorarium Narasumber atau Pembahas"),
        ("5.1.02.03.02.0035", "Belanja Pemeliharaan Alat Angkutan"),
        ("5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa"),
        ("5.1.02.04.01.0003", "Belanja Perjalanan Dinas Dalam Kota"),
        ("5.1.02.99.99.9999", "Belanja Barang dan Jasa yang Diserahkan kepada Masyarakat"),
        ("5.2.02.05.01.0005", "Belanja Modal Alat Kantor Lainnya"),
        ("5.2.02.10.01.0002", "Belanja Modal Personal Computer"),
        ("5.4.01.01.01.0001", "Belanja Bantuan Sosial Tunai kepada Individu"),
        ("5.4.01.01.02.0001", "Belanja Bantuan Sosial Barang kepada Keluarga"),
        ("5.1.01.01.01.0001", "Belanja Gaji Pokok PNS"),
        ("5.1.01.01.02.0001", "Belanja Tunjangan Keluarga PNS"),
        ("5.1.02.01.01.0031", "Belanja Alat/Bahan untuk Kegiatan Kantor-Kertas dan Cover"),
        ("5.1.02.02.01.0013", "Belanja Jasa Tenaga Pendukung Administrasi"),
        ("5.1.02.03.02.0121", "Belanja Pemeliharaan Peralatan dan Mesin"),
        ("5.1.02.01.01.0012", "Belanja Bahan-Bahan Lainnya"),
        ("5.1.02.01.01.0030", "Belanja Alat/Bahan untuk Kegiatan Kantor-Perabot Kantor"),
        ("5.1.02.02.01.0029", "Belanja Jasa Penyelenggaraan Acara"),
        ("5.1.02.04.01.0002", "Belanja Perjalanan Dinas Tetap"),
        ("5.4.01.01.02.0003", "Belanja Bantuan Sosial Barang kepada Kelompok Masyarakat"),
    ]
    name = "realisasi_anggaran_rekening.csv"
    r = c.rng(name)
    rows = []
    for code, desc in accounts:
        pagu = r.randint(5, 900) * 1_000_000 + r.choice([0, 250_000, 500_000])
        real = pagu * r.uniform(0.55, 1.0)
        rows.append([code, desc, rupiah(pagu), rupiah(real, 2), id_number(100 * real / pagu, 2)])
    c.csv(name, AGGREGATE, V, "Kode Rekening '5.1.02.01.01.0024', pagu and realisasi as 'Rp 1.250.000,50'.",
          [["Kode Rekening", "Uraian", "Pagu", "Realisasi", "Persentase (%)"]] + rows, delimiter=";",
          above=[["LAPORAN REALISASI ANGGARAN DINAS SOSIAL PROVINSI NTB TA 2024"], []])

    name = "sub_kegiatan_anggaran.csv"
    r = c.rng(name)
    subs = [("1.06.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah"),
            ("1.06.01.2.02.0001", "Penyediaan Gaji dan Tunjangan ASN"),
            ("1.06.02.2.01.0003", "Fasilitasi Pendaftaran Lembaga Kesejahteraan Sosial"),
            ("1.06.04.2.01.0001", "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar dalam Panti"),
            ("1.06.04.2.02.0002", "Pemberian Layanan Reunifikasi Keluarga"),
            ("1.06.05.2.01.0002", "Pengelolaan Data Fakir Miskin Cakupan Daerah Provinsi"),
            ("1.06.06.2.01.0001", "Penyediaan Makanan dan Peralatan Darurat Bagi Korban Bencana"),
            ("1.06.06.2.01.0005", "Penyelenggaraan Pemberdayaan Masyarakat terhadap Kesiapsiagaan Bencana"),
            ("1.06.07.2.01.0003", "Pemeliharaan Taman Makam Pahlawan Nasional Provinsi"),
            ("1.06.03.2.01.0002", "Peningkatan Kemampuan Potensi Pekerja Sosial Masyarakat"),
            ("1.06.03.2.02.0001", "Peningkatan Kemampuan Potensi Tenaga Kesejahteraan Sosial Kecamatan"),
            ("1.06.02.2.01.0001", "Pemberdayaan Sosial Komunitas Adat Terpencil"),
            ("1.06.05.2.01.0001", "Pendataan Fakir Miskin"),
            ("1.06.04.2.01.0003", "Rehabilitasi Sosial Dasar Anak Terlantar dalam Panti"),
            ("1.06.04.2.01.0005", "Rehabilitasi Sosial Dasar Lanjut Usia Terlantar dalam Panti"),
            ("1.06.01.2.06.0001", "Penyediaan Jasa Surat Menyurat"),
            ("1.06.01.2.06.0002", "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik"),
            ("1.06.01.2.09.0001", "Penyediaan Jasa Pemeliharaan Kendaraan Dinas"),
            ("1.06.06.2.02.0001", "Pengelolaan Lumbung Sosial Bencana"),
            ("1.06.07.2.01.0001", "Pemberian Bantuan Sosial bagi Veteran")]
    rows = []
    for code, desc in subs:
        pagu = r.randint(40, 9000) * 1_000_000 + r.choice([0, 125_000, 750_000])
        rows.append([code, desc, pagu, round(pagu * r.uniform(0.6, 1.0)), 2024])
    c.csv(name, AGGREGATE, V, "Sub-kegiatan codes '1.06.04.2.01.0001' with plain rupiah amounts.",
          [["kode_sub_kegiatan", "nama_sub_kegiatan", "pagu_rp", "realisasi_rp", "tahun"]] + rows)

    name = "anggaran_per_bidang.xlsx"
    r = c.rng(name)
    bidang = ["Sekretariat", "Bidang Perlindungan dan Jaminan Sosial", "Bidang Rehabilitasi Sosial",
              "Bidang Pemberdayaan Sosial", "Bidang Penanganan Fakir Miskin"]
    rows = [[b, y, r.randint(2, 60) * 100_000_000 + r.randint(0, 99) * 1_000_000, round(r.uniform(70, 99), 2)]
            for b in bidang for y in range(2020, 2025)]
    c.xlsx(name, AGGREGATE, V, "Budget per bidang and year (numeric cells), realisation percent.",
           [["Unit Kerja", "Tahun", "Pagu Anggaran (Rp)", "Realisasi (%)"]] + rows)


def asn_tables(c: Corpus) -> None:
    """Staff (ASN) counts by golongan, education, sex, position: counts, never people."""
    V = "asn_counts"
    name = "asn_golongan_jk.csv"
    r = c.rng(name)
    gol = ["I/a", "I/b", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c"]
    rows = [["52", "Nusa Tenggara Barat", g, jk, small_count(r, 45), "orang", 2024] for g in gol for jk in ("Laki-laki", "Perempuan")]
    c.csv(name, AGGREGATE, V, "ASN by golongan and sex (IV/c perempuan = 1 kinds of cells).",
          [["kode_provinsi", "nama_provinsi", "golongan", "jenis_kelamin", "jumlah_asn", "satuan", "tahun"]] + rows)

    name = "asn_pendidikan.csv"
    r = c.rng(name)
    rows = [[p, y, small_count(r, 20), small_count(r, 20)] for p in ("SD", "SMP", "SMA/SMK", "D3", "D4", "S1", "S2", "S3")
            for y in (2022, 2023, 2024)]
    c.csv(name, AGGREGATE, V, "ASN by education with L/P counts (small cells).",
          [["pendidikan", "tahun", "laki_laki", "perempuan"]] + rows)

    name = "asn_jabatan_fungsional.csv"
    r = c.rng(name)
    jab = ["Pekerja Sosial Ahli Pertama", "Pekerja Sosial Ahli Muda", "Pekerja Sosial Ahli Madya", "Penyuluh Sosial Ahli Muda",
           "Analis Kebijakan Ahli Muda", "Perencana Ahli Pertama", "Arsiparis Terampil", "Pranata Komputer Ahli Pertama",
           "Analis Keuangan Pusat dan Daerah", "Pengelola Pengadaan Barang/Jasa"]
    rows = [[j, small_count(r, 12), small_count(r, 12), y] for y in (2023, 2024) for j in jab]
    c.csv(name, AGGREGATE, V, "Functional positions with counts by sex.",
          [["Nama Jabatan", "Laki-laki", "Perempuan", "Tahun"]] + rows)

    name = "asn_per_unit_status.csv"
    r = c.rng(name)
    units = ["Sekretariat", "Bidang Perlindungan dan Jaminan Sosial", "Bidang Rehabilitasi Sosial", "Bidang Pemberdayaan Sosial",
             "Bidang Penanganan Fakir Miskin", "UPT PSTW Puspakarma", "UPT PSAA Harapan", "UPT PSMP Paramita"]
    rows = [[u, s, r.randint(0, 40)] for u in units for s in ("PNS", "PPPK", "Non ASN")]
    c.csv(name, AGGREGATE, V, "Staff by unit and status (PNS, PPPK, Non ASN), `;`.",
          [["Unit Kerja", "Status Kepegawaian", "Jumlah"]] + rows, delimiter=";")

    name = "asn_kelompok_umur.xlsx"
    r = c.rng(name)
    rows = [[g, y, r.randint(0, 40), r.randint(0, 40)] for y in (2022, 2023, 2024)
            for g in ("< 25", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", ">= 60")]
    c.xlsx(name, AGGREGATE, V, "ASN by age group, year and sex, with a Total row.",
           [["Kelompok Umur", "Tahun", "Laki-laki", "Perempuan"]] + rows,
           below=[["Total", "", sum(x[2] for x in rows), sum(x[3] for x in rows)]])


def disaster_tables(c: Corpus) -> None:
    """Disaster tables: KK vs Jiwa counts, events, damaged houses."""
    V = "disaster_kk_jiwa"
    name = "bencana_kk_jiwa_per_kabupaten.csv"
    r = c.rng(name)
    rows = []
    for y in (2022, 2023, 2024):
        for k in range(10):
            ev = small_count(r, 8)
            kk = ev * r.randint(0, 40)
            rows.append([kab_code(k), kab_name(k, 0), y, ev, kk, kk * r.randint(3, 4)])
    c.csv(name, AGGREGATE, V, "Bare 'KK' and 'Jiwa' headers over counts (families, people).",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "tahun", "kejadian", "KK", "Jiwa"]] + rows)

    name = "jenis_bencana_rumah_rusak.csv"
    r = c.rng(name)
    jenis = ["Kebakaran Pemukiman", "Banjir", "Tanah Longsor", "Angin Puting Beliung", "Konflik Sosial", "Gelombang Pasang"]
    rows = [[j, kab_name(k, 3), small_count(r, 6), small_count(r, 80), small_count(r, 300), small_count(r, 30)]
            for j in jenis for k in r.sample(range(10), 5)]
    c.csv(name, AGGREGATE, V, "Events by type and kabupaten: KK, jiwa, houses damaged.",
          [["jenis_bencana", "kabupaten", "jumlah_kejadian", "kk", "jiwa", "rumah_rusak"]] + rows)

    name = "bencana_bulanan_2024.csv"
    r = c.rng(name)
    rows = [[MONTHS[m], y, small_count(r, 9), small_count(r, 120), small_count(r, 400)] for y in (2023, 2024) for m in range(12)]
    c.csv(name, AGGREGATE, V, "Monthly disaster counts, title row and 'Jumlah' total.",
          [["Bulan", "Tahun", "Kejadian", "KK Terdampak", "Jiwa Terdampak"]] + rows,
          above=[["Rekap Bencana Provinsi NTB 2023-2024"]],
          below=[["Jumlah", "", sum(x[2] for x in rows), sum(x[3] for x in rows), sum(x[4] for x in rows)]])

    name = "korban_dua_baris_header.xlsx"
    r = c.rng(name)
    rows = [[kab_name(k, 0), y, small_count(r, 50), small_count(r, 200), small_count(r, 20), small_count(r, 30), small_count(r, 60)]
            for y in (2023, 2024) for k in range(10)]
    c.xlsx(name, AGGREGATE, V, "Two-row header: 'Korban' over KK/Jiwa, 'Rumah Rusak' over Berat/Sedang/Ringan.",
           [["Kabupaten/Kota", "Tahun", "Korban", "", "Rumah Rusak", "", ""],
            ["", "", "KK", "Jiwa", "Berat", "Sedang", "Ringan"]] + rows,
           merges=["C1:D1", "E1:G1", "A1:A2", "B1:B2"])

    name = "logistik_bencana.csv"
    r = c.rng(name)
    items = [("Beras", "kg"), ("Tenda Gulung", "lembar"), ("Selimut", "lembar"), ("Family Kit", "paket"), ("Kids Ware", "paket"),
             ("Makanan Siap Saji", "paket"), ("Lauk Pauk", "paket"), ("Kasur", "lembar"), ("Matras", "lembar"), ("Sandang", "paket"),
             ("Tenda Keluarga", "unit"), ("Perlengkapan Dapur", "paket"), ("Velbed", "unit"), ("Terpal", "lembar")]
    rows = [[i, s, r.randint(0, 5000), r.randint(0, 900), y] for y in (2023, 2024) for i, s in items]
    c.csv(name, AGGREGATE, V, "Relief stock: item, unit, stock, distributed.",
          [["jenis_barang", "satuan", "stok", "tersalurkan", "tahun"]] + rows)

    name = "posko_pengungsian.csv"
    r = c.rng(name)
    rows = []
    for i in range(22):
        kk = r.randint(3, 140)
        rows.append([f"Posko {r.choice(['Desa', 'Dusun', 'Masjid', 'SDN'])} {r.choice(DESA)}", r.choice(KABUPATEN[r.randrange(10)][3]),
                     kk, kk * r.randint(3, 4), small_count(r, 40), small_count(r, 40), small_count(r, 8), small_count(r, 6)])
    c.csv(name, AGGREGATE, V, "Evacuation posts: KK, jiwa, toddlers, elderly, pregnant women, disabled (counts).",
          [["posko", "kecamatan", "kk", "jiwa", "balita", "lansia", "ibu_hamil", "disabilitas"]] + rows)


def monthly_tables(c: Corpus) -> None:
    V = "monthly"
    name = "layanan_rehsos_bulanan.csv"
    r = c.rng(name)
    rows = [[MONTHS[m], l, r.randint(0, 90), 2024] for m in range(12) for l in ("Anak", "Lansia", "Disabilitas")]
    c.csv(name, AGGREGATE, V, "Rehabilitation services per month and group.",
          [["bulan", "kelompok", "jumlah_layanan", "tahun"]] + rows)

    name = "pengaduan_per_kanal_bulan.csv"
    r = c.rng(name)
    rows = [[MONTHS[m], y, r.randint(0, 40), r.randint(0, 30), r.randint(0, 15), r.randint(0, 10)] for y in (2023, 2024) for m in range(12)]
    c.csv(name, AGGREGATE, V, "Complaints per month by channel (counts only), UTF-16 tab-separated.",
          [["Bulan", "Tahun", "Datang Langsung", "Telepon/WA", "Surat", "Media Sosial"]] + rows, encoding="utf-16", delimiter="\t")

    name = "tagana_siaga_triwulan.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 0), f"Triwulan {t}", r.randint(0, 25), 2024] for k in range(10) for t in ("I", "II", "III", "IV")]
    c.csv(name, AGGREGATE, V, "Tagana deployments per kabupaten and quarter.",
          [["kabupaten_kota", "triwulan", "jumlah_siaga", "tahun"]] + rows)


def percent_tables(c: Corpus) -> None:
    V = "percentages"
    name = "capaian_indikator_persen.csv"
    r = c.rng(name)
    ind = ["Persentase PPKS yang tertangani", "Persentase LKS terakreditasi", "Persentase KPM graduasi",
           "Persentase korban bencana yang mendapat bantuan", "Indeks kepuasan layanan"]
    rows = []
    for y in range(2019, 2025):
        for i in ind:
            t = r.randint(60, 90)
            real = t * r.uniform(0.85, 1.12)
            rows.append([y, i, "%", t, id_number(real, 2), id_number(100 * real / t, 2)])
    c.csv(name, AGGREGATE, V, "SAKIP-style indicators: target, realisation, percent with decimal commas.",
          [["tahun", "indikator", "satuan", "target", "realisasi", "capaian_persen"]] + rows, delimiter=";")

    name = "persentase_penduduk_miskin.csv"
    r = c.rng(name)
    rows = [[kab_code(k), kab_name(k, 0), y, f"{r.uniform(6, 20):.2f}"] for k in range(10) for y in (2022, 2023)]
    c.csv(name, AGGREGATE, V, "Poverty rate per kabupaten (12.85 style).",
          [["kode_kabupaten_kota", "nama_kabupaten_kota", "tahun", "persentase_penduduk_miskin"]] + rows)

    name = "cakupan_pkh_persen_tanda.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 2), y, f"{r.uniform(40, 99):.1f}%".replace(".", ","), f"{r.uniform(1, 15):.1f}%".replace(".", ",")]
            for y in (2023, 2024) for k in range(10)]
    c.csv(name, AGGREGATE, V, "Coverage with percent signs '87,5%'.",
          [["Kabupaten/Kota", "Tahun", "Cakupan PKH", "Graduasi"]] + rows, delimiter=";")


def money_tables(c: Corpus) -> None:
    V = "money_id_format"
    name = "santunan_kematian_rp.csv"
    r = c.rng(name)
    rows = []
    for y in (2023, 2024):
        for k in range(10):
            n = r.randint(0, 300)
            rows.append([kab_name(k, 0), n, rupiah(n * 1_250_000.50, 2), y])
    c.csv(name, AGGREGATE, V, "Death benefits per kabupaten: count and 'Rp 1.250.000,50' totals, `;`.",
          [["Kabupaten/Kota", "Jumlah Penerima", "Total Santunan", "Tahun"]] + rows, delimiter=";")

    name = "bantuan_usaha_kube_rp.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 0), y, r.randint(0, 40), rupiah(r.randint(0, 40) * 20_000_000)] for y in (2023, 2024) for k in range(10)]
    c.csv(name, AGGREGATE, V, "KUBE business grants per kabupaten in rupiah text, `;`.",
          [["Kabupaten", "Tahun", "Jumlah KUBE", "Nilai Bantuan"]] + rows, delimiter=";",
          below=[["Jumlah", "", sum(x[2] for x in rows), ""], SOURCE])

    name = "pmbs_pemulangan_biaya.csv"
    r = c.rng(name)
    rows = [[kab_name(k, 0), y, small_count(r, 40), rupiah(r.randint(0, 400) * 175_000)] for k in range(10) for y in (2023, 2024)]
    c.csv(name, AGGREGATE, V, "Returned migrant workers (PMBS) per kabupaten and year with cost.",
          [["kabupaten_kota", "tahun", "jumlah_pmbs_dipulangkan", "biaya_pemulangan"]] + rows, delimiter=";")


def title_and_totals(c: Corpus) -> None:
    V = "title_and_totals"
    name = "rekap_pmks_judul_jumlah.csv"
    r = c.rng(name)
    rows = [[i + 1, kab_name(i % 10, 0), "Laki-laki" if i < 10 else "Perempuan", r.randint(0, 900), r.randint(0, 900), r.randint(0, 900)]
            for i in range(20)]
    c.csv(name, AGGREGATE, V, "Two title rows, a numbering row, a 'Jumlah' row and a source note.",
          [["No", "Kabupaten/Kota", "Jenis Kelamin", "Anak", "Lansia", "Disabilitas"], ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]] + rows,
          above=[["REKAPITULASI DATA PMKS"], ["PROVINSI NUSA TENGGARA BARAT TAHUN 2023"], []],
          below=[["", "Jumlah", "", sum(x[3] for x in rows), sum(x[4] for x in rows), sum(x[5] for x in rows)], [], SOURCE])

    name = "psks_total_ntb.csv"
    r = c.rng(name)
    rows = []
    for y in (2023, 2024):
        block = [[kab_name(k, 1), y, r.randint(0, 300), r.randint(0, 60), r.randint(0, 20)] for k in range(10)]
        rows += block + [["NTB", y] + [sum(x[i] for x in block) for i in (2, 3, 4)]]
    c.csv(name, AGGREGATE, V, "An 'NTB' total row after each year's block, capitals, `;`.",
          [["KABUPATEN/KOTA", "TAHUN", "PSM", "TKSK", "PEKSOS"]] + rows, delimiter=";")

    name = "lks_rekap_total.xlsx"
    r = c.rng(name)
    rows = [[kab_name(k, 0), y, r.randint(0, 40), r.randint(0, 15), r.randint(0, 10)] for y in (2023, 2024) for k in range(10)]
    c.xlsx(name, AGGREGATE, V, "Workbook with a title, 'Total' row and a 'Keterangan' footnote.",
           [["Kabupaten/Kota", "Tahun", "LKSA", "LKS Lansia", "LKS Disabilitas"]] + rows,
           above=[["JUMLAH LKS PER KABUPATEN/KOTA 2023-2024"]],
           below=[["Total", "", sum(x[2] for x in rows), sum(x[3] for x in rows), sum(x[4] for x in rows)], [],
                  ["Keterangan: termasuk LKS yang belum terakreditasi"]])


# ---------------------------------------------------------------------------- main

BUILDERS: list[Callable[[Corpus], None]] = [
    names_only, people_headers, names_in_free_text, nik_split, nik_spaced, phone_formats, kk_in_kode,
    microdata, lowercase_names_with_dusun, names_with_birth_dates, directory_head_mobile,
    region_tables, more_region_tables, activity_tables, lks_directories, programme_tables, region_names_in_cells, clean_notes, budget_tables,
    asn_tables, disaster_tables, monthly_tables, percent_tables, money_tables, title_and_totals,
]


def build(out: Path) -> list[dict[str, str]]:
    """Write every corpus file and manifest.json into `out`; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(out)
    for builder in BUILDERS:
        builder(corpus)
    corpus.write_manifest()
    return corpus.entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: beside this script)")
    args = parser.parse_args()
    entries = build(args.out)
    counts: dict[str, int] = {}
    for e in entries:
        counts[e["label"]] = counts.get(e["label"], 0) + 1
    print(f"wrote {len(entries)} files to {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
