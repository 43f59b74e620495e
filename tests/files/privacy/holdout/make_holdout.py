#!/usr/bin/env python3
"""Write the privacy *holdout* corpus: files the upload scanner has never been tuned on.

Written independently of the scanner and of its own labelled corpus, to measure whether the
scanner generalises. Every person, name, NIK, family-card number and phone number here is
invented: names are random combinations of common name parts, numbers are random but
structurally valid (real NTB region prefixes, real calendar dates).

    python make_holdout.py              # writes next to this script
    python make_holdout.py --out DIR    # writes into DIR

Output: ``personal_*`` files (person-level: must be refused), ``aggregate_*`` files
(published aggregates: must pass) and ``manifest.json``, a list of
``{"file", "label": "personal"|"aggregate", "variant", "note"}``.

Deterministic: every file draws from its own ``random.Random`` seeded with SEED and the
file name, and XLSX archives get fixed timestamps, so a rerun gives byte-identical files.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from random import Random

SEED = "ntb-holdout-2024"
FIXED_TS = (2024, 1, 2, 3, 4, 6)

# --------------------------------------------------------------------------------------
# Regions (Kemendagri codes; kecamatan names are real, used only as labels)
# --------------------------------------------------------------------------------------
KAB = [
    # code, official name, short name, nickname, landline area code
    ("52.01", "Kabupaten Lombok Barat", "Lombok Barat", "Lobar", "0370"),
    ("52.02", "Kabupaten Lombok Tengah", "Lombok Tengah", "Loteng", "0370"),
    ("52.03", "Kabupaten Lombok Timur", "Lombok Timur", "Lotim", "0376"),
    ("52.04", "Kabupaten Sumbawa", "Sumbawa", "Sumbawa", "0371"),
    ("52.05", "Kabupaten Dompu", "Dompu", "Dompu", "0373"),
    ("52.06", "Kabupaten Bima", "Bima", "Kab. Bima", "0374"),
    ("52.07", "Kabupaten Sumbawa Barat", "Sumbawa Barat", "KSB", "0372"),
    ("52.08", "Kabupaten Lombok Utara", "Lombok Utara", "KLU", "0370"),
    ("52.71", "Kota Mataram", "Mataram", "Mataram", "0370"),
    ("52.72", "Kota Bima", "Kota Bima", "Kota Bima", "0374"),
]
KEC = {
    "52.01": ["Gerung", "Kediri", "Narmada", "Sekotong", "Labuapi", "Gunungsari", "Lingsar",
              "Lembar", "Batu Layar", "Kuripan"],
    "52.02": ["Praya", "Jonggat", "Batukliang", "Pujut", "Praya Barat", "Praya Timur", "Janapria",
              "Pringgarata", "Kopang", "Praya Tengah", "Praya Barat Daya", "Batukliang Utara"],
    "52.03": ["Keruak", "Sakra", "Terara", "Sikur", "Masbagik", "Sukamulia", "Selong", "Pringgabaya",
              "Aikmel", "Sambelia", "Montong Gading", "Pringgasela", "Suralaga", "Wanasaba",
              "Sembalun", "Suela", "Labuhan Haji", "Jerowaru", "Sakra Barat", "Sakra Timur"],
    "52.04": ["Lunyuk", "Alas", "Utan", "Batu Lanteh", "Sumbawa", "Moyo Hilir", "Moyo Hulu", "Ropang",
              "Lape", "Plampang", "Empang", "Labuhan Badas", "Unter Iwes"],
    "52.05": ["Dompu", "Kempo", "Hu'u", "Kilo", "Woja", "Pekat", "Manggelewa", "Pajo"],
    "52.06": ["Monta", "Bolo", "Woha", "Belo", "Wawo", "Sape", "Wera", "Donggo", "Sanggar",
              "Ambalawi", "Langgudu", "Lambu", "Madapangga", "Tambora", "Soromandi", "Parado",
              "Lambitu", "Palibelo"],
    "52.07": ["Jereweh", "Taliwang", "Seteluk", "Sekongkang", "Brang Rea", "Poto Tano", "Maluk",
              "Brang Ene"],
    "52.08": ["Tanjung", "Gangga", "Kayangan", "Bayan", "Pemenang"],
    "52.71": ["Ampenan", "Cakranegara", "Mataram", "Selaparang", "Sekarbela", "Sandubaya"],
    "52.72": ["Rasanae Barat", "Rasanae Timur", "Asakota", "Raba", "Mpunda"],
}
DESA = ["Sengkol", "Mertak", "Kuta", "Rembitan", "Sukadana", "Kateng", "Bonjeruk", "Sukarara",
        "Perian", "Montong Are", "Dasan Cermen", "Sesela", "Kekait", "Batu Kumbung", "Sembalun Bumbung",
        "Aikmel Utara", "Labuhan Lombok", "Tete Batu", "Kembang Kerang", "Penatoi", "Naru", "Sila",
        "Kore", "Rasabou", "Ntobo", "Kalampa", "Brang Biji", "Seteluk Atas", "Poto", "Kerato",
        "Sebewe", "Senaru", "Sokong", "Genggelang", "Gili Indah", "Pagesangan", "Karang Pule",
        "Monjok", "Rembiga", "Pejeruk", "Cilinaya", "Mayura", "Sayang-Sayang", "Babakan", "Turida",
        "Bertais", "Mandalika", "Abian Tubuh", "Selagalas", "Jango", "Lenek", "Suwangi", "Kalijaga",
        "Tanjung Luar", "Ekas Buana", "Pemongkong", "Kwang Rundun", "Labuhan Haji", "Sambelia",
        "Belanting", "Dara Kunci", "Tolo Uwi", "Monggo", "Kananga", "Samili", "Rato", "Mbawa",
        "Kawinda Toi", "Oi Katupa", "Labuhan Sumbawa", "Empang Bawa", "Lape Lopok", "Moyo Mekar"]
DUSUN = ["Lendang Bagik", "Batu Bolong", "Repok", "Kebon Daye", "Tojang", "Montong Bile",
         "Gubuk Timuk", "Dasan Lekong", "Karang Bedil", "Orong Bukal", "Nyiur Lembang",
         "Bagek Nyaka", "Pelempat", "Tibu Lilin", "Lingkok Buak", "Embung Ngeres", "Ketapang Daye",
         "Gubuk Baru", "Lekong Pituq", "Bangket Bilong", "Oi Mbo", "Rada Sori", "Kampo Baru",
         "Bontosori", "Sori Dungga", "Brang Kolong", "Lebangkar Atas", "Sebeok", "Bukit Tinggi",
         "Sandik Utara", "Punie", "Telaga Mas"]

# --------------------------------------------------------------------------------------
# Name parts (chosen for this corpus; combinations are random, so no real person is meant)
# --------------------------------------------------------------------------------------
SASAK_M = ["Muhsan", "Jumarip", "Sahnan", "Kertawi", "Sardi", "Mahrup", "Sapwan", "Mujitahid",
           "Sahabudin", "Saprudin", "Hamdi", "Sukarji", "Murdani", "Samsul Hadi", "Rusdi", "Mastur",
           "Zaenal Arifin", "Masrun", "Sahrul", "Amrullah", "Suhardi", "Sapri", "Hirman",
           "Kamarudin", "Jayadi", "Muh. Zaini", "Sahirudin", "Munawir", "Wirejaya", "Mahsun"]
SASAK_F = ["Mardiah", "Sinarsih", "Rumisah", "Sumarni", "Nurhasanah", "Mahnun", "Rohimah", "Hamdiah",
           "Sapinah", "Hartini", "Mulianah", "Satrah", "Nurul Aini", "Rukmini", "Suhaeni", "Masnah",
           "Haerani", "Sahnun", "Rabiah", "Jumenah", "Sanimah", "Mahyuni", "Rusniati", "Herniwati",
           "Inun", "Sumiatun"]
SASAK_TEKNO = ["Rumiah", "Sarep", "Juhri", "Sahnun", "Meni", "Rabi", "Ilun", "Sadri", "Nasip"]
BALI_M = ["Sukarta", "Ardana", "Wiradnyana", "Darmayasa", "Suarjana", "Sudarsana", "Budiarta",
          "Widiantara", "Astawa", "Merta", "Suwitra", "Adnyana", "Sukadana", "Rai Artha", "Sudiarsa"]
BALI_F = ["Sudiasih", "Suastini", "Sriasih", "Ariani", "Sukerti", "Murniati", "Wartini", "Rusmini",
          "Kariasih", "Purnamiasih", "Sekarini", "Darmini", "Ayu Sriwahyuni", "Mertayani"]
BALI_ORDER = ["Wayan", "Putu", "Made", "Kadek", "Nyoman", "Komang", "Ketut"]
MBOJO_M = ["Syamsuddin", "Ishaka", "Ahyar", "Kasman", "Sarafuddin", "Zulkifli", "Hasanuddin",
           "Abdul Haris", "Arifuddin", "Jamaluddin", "Ilham", "Usman", "Taufik", "Ridwan", "Saifullah",
           "Syarifuddin", "Muhtar", "Ikhsan", "Abubakar", "Sukri", "Nasrullah", "Mustamin", "Ramli",
           "Imran", "Muhammad Nur", "Ahmad Jaelani", "Abdul Muis"]
MBOJO_F = ["Jaenab", "Rukayah", "Nurhayati", "Mahdalena", "Julaiha", "Saleha", "Aisyah", "Fatimah",
           "Siti Hawa", "Siti Maryam", "Nurjannah", "Sitti Rahmah", "Hadijah", "Mariam", "Sukmawati",
           "Nurmi", "Salmah", "Jamilah", "Hasnah", "Kalsum", "Ruwaidah", "Nur Aisyah"]
JAWA_M = ["Sutrisno", "Wagiman", "Paijo", "Joko Purnomo", "Sugeng Raharjo", "Slamet Riyadi",
          "Mujiono", "Daryanto", "Kusnadi", "Tukimin", "Suparno", "Bambang Sumarsono", "Ngadiman"]
JAWA_F = ["Sri Lestari", "Tukiyem", "Ngatini", "Suparmi", "Sumiyati", "Parjiyem", "Warsini",
          "Tri Wahyuni", "Sri Rejeki", "Sulastri", "Endang Sunarsih", "Wagini"]
SUNDA_M = ["Asep Saepudin", "Ujang Rohman", "Cecep Supriatna", "Dadang Hermawan", "Yayan Sopyan",
           "Dede Kurnia", "Tatang Sutisna", "Ade Mulyana", "Engkos Kosasih"]
SUNDA_F = ["Euis Komariah", "Entin Kartini", "Ai Nurhasanah", "Iis Sumiati", "Nining Suryani",
           "Enung Nurhayati", "Neneng Hasanah", "Imas Masitoh"]
BUGIS_M = ["Andi Baso Tenri", "La Bakka", "Muh. Arsyad Dg. Nai", "Baso Siompu", "Andi Mappanyukki Rauf",
           "La Sinrang", "Daeng Matasa", "Andi Pallawa"]
BUGIS_F = ["Andi Ummu Kalsum", "Sitti Hasnah", "Becce Tenriawaru", "Andi Nurhaedah", "Hj. Besse Marlina",
           "Tenri Ajeng", "I Lanti Daeng Ngai"]
CHINA_M = ["Liem Kok Hwa", "Go Tjeng Hok", "The Bun Seng", "Tan Kiem Liong", "Hendrawan Salim",
           "Ferry Gunadi", "Oei Siang Bo", "Yohanes Kristianto", "Kwik Tiong Han"]
CHINA_F = ["Tjoa Swie Lan", "Oei Mei Ling", "Tan Giok Nio", "Lie Siu Fong", "Kwee Lian Nio",
           "Lilis Tanujaya", "Susanti Wijaya", "Megawati Hartono", "Ong Lie Hoa"]
ARAB_GIVEN_M = ["Umar", "Salim", "Hasan", "Abdullah", "Husein", "Thoha", "Segaf", "Ali", "Mahdi"]
ARAB_GIVEN_F = ["Syarifah Aliyah", "Khadijah", "Sidah", "Muznah", "Shofiah", "Syarifah Nur", "Fauziah"]
ARAB_FAMILY = ["Alaydrus", "Alhabsyi", "Assegaf", "Bafadhal", "Bahweres", "Alkaff", "Ba'abud",
               "Alatas", "Bawazier", "Binsyeh"]
FATHER = ["Usman", "Abdurrahman", "Ishaka", "Muhtar", "H. Sahnan", "Kasman", "Mahmud", "Ahmad",
          "Salim", "Abdul Gani", "Ismail", "Ramli"]
NICK = ["Ancul", "Bolot", "Gotek", "Ipah", "Inge", "Ucup", "Dadong", "Tole", "Bule", "Eja", "Upe",
        "Kaco", "Ompu Ngeru", "Bonceng", "Pak Lek"]
PRE_M = ["H.", "Drs.", "Ir.", "Ns.", "dr.", "TGH.", "Ust."]
PRE_F = ["Hj.", "Dra.", "Ns.", "dr.", "Ustzh."]
SUF_ANY = ["S.Pd.I.", "S.Kep.", "S.Sos.", "S.E.", "S.H.", "M.Si.", "S.Ag.", "A.Md.Kep.", "S.Pd.",
           "S.ST.", "S.IP.", "S.Tr.Sos.", "M.Pd.", "S.Kom.", "S.Kep., Ns."]
SUF_F = ["A.Md.Keb.", "S.Tr.Keb."]


def base_name(rng: Random, sex: str | None = None, group: str | None = None) -> tuple[str, str]:
    """A bare invented name (no degrees) and the sex 'L'/'P' it was drawn for."""
    sex = sex or rng.choice("LP")
    group = group or rng.choices(
        ["sasak", "bali", "mbojo", "jawa", "sunda", "bugis", "china", "arab"],
        weights=[34, 12, 26, 9, 4, 6, 4, 5])[0]
    m = sex == "L"
    if group == "sasak":
        r = rng.random()
        if r < 0.25:
            name = ("Lalu " if m else rng.choice(["Baiq ", "Lale ", "Denda "])) + rng.choice(SASAK_M if m else SASAK_F)
        elif r < 0.32 and m:
            name = "Raden " + rng.choice(SASAK_M)
        elif r < 0.45:
            name = ("Amaq " if m else "Inaq ") + rng.choice(SASAK_TEKNO)
        elif r < 0.5:
            name = "Papuq " + rng.choice(SASAK_TEKNO)
        else:
            name = rng.choice(SASAK_M if m else SASAK_F)
    elif group == "bali":
        r = rng.random()
        if r < 0.15:
            name = rng.choice(["Ida Bagus ", "Anak Agung Gede ", "I Gusti Ngurah "] if m
                              else ["Ida Ayu ", "Anak Agung Istri ", "I Gusti Ayu "]) + rng.choice(BALI_M if m else BALI_F)
        else:
            order = rng.choice(BALI_ORDER + (["Gede"] if m else ["Luh"]))
            name = ("I " if m else "Ni ") + order + " " + rng.choice(BALI_M if m else BALI_F)
    elif group == "mbojo":
        name = rng.choice(MBOJO_M if m else MBOJO_F)
        if rng.random() < 0.22:
            name += (" bin " if m else " binti ") + rng.choice(FATHER)
    elif group == "jawa":
        name = rng.choice(JAWA_M if m else JAWA_F)
    elif group == "sunda":
        name = rng.choice(SUNDA_M if m else SUNDA_F)
    elif group == "bugis":
        name = rng.choice(BUGIS_M if m else BUGIS_F)
    elif group == "china":
        name = rng.choice(CHINA_M if m else CHINA_F)
    else:
        name = rng.choice(ARAB_GIVEN_M if m else ARAB_GIVEN_F) + " " + rng.choice(ARAB_FAMILY)
        if m and rng.random() < 0.4:
            name = name.split()[0] + " bin " + rng.choice(ARAB_GIVEN_M) + " " + name.split()[-1]
    return name, sex


def initialise(name: str, rng: Random) -> str:
    words = name.split()
    if len(words) < 2:
        return name
    i = rng.randrange(len(words) - 1)
    w = words[i]
    if w.endswith(".") or w.lower() in ("bin", "binti", "i", "ni"):
        return name
    short = {"Muhammad": "M.", "Muh.": "M.", "Siti": "St.", "Sitti": "St.", "Lalu": "L.", "Baiq": "B.",
             "Abdul": "Abd."}.get(w, w[0] + ".")
    words[i] = short
    return " ".join(words)


def person(rng: Random, sex: str | None = None, group: str | None = None, titles: float = 0.25,
           initials: float = 0.12, alias: float = 0.04, case: str = "mixed") -> tuple[str, str]:
    name, sex = base_name(rng, sex, group)
    if rng.random() < initials:
        name = initialise(name, rng)
    if rng.random() < titles:
        if rng.random() < 0.55:
            name = rng.choice(PRE_M if sex == "L" else PRE_F) + " " + name
        if rng.random() < 0.55:
            name = name + ", " + rng.choice(SUF_ANY + ([] if sex == "L" else SUF_F))
    if rng.random() < alias:
        name = name + rng.choice([" alias ", " als. ", " Alias "]) + rng.choice(NICK)
    if case == "mixed":
        case = rng.choices(["as_is", "upper", "lower"], weights=[70, 22, 8])[0]
    if case == "upper":
        name = name.upper()
    elif case == "lower":
        name = name.lower()
    return name, sex


def people(rng: Random, n: int, **kw) -> list[tuple[str, str]]:
    out, seen = [], set()
    tries = 0
    while len(out) < n:
        tries += 1
        p = person(rng, **kw)
        if p[0].lower() in seen and tries < 20 * n:
            continue
        seen.add(p[0].lower())
        out.append(p)
    return out


# --------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------
OTHER_PROV = {"51": ["01", "02", "03", "04", "05", "06", "07", "08", "71"],
              "53": ["01", "02", "03", "04", "05", "06", "07", "08", "10", "71"],
              "35": ["01", "07", "09", "10", "15", "73", "78"]}
NTB_KAB = ["01", "02", "03", "04", "05", "06", "07", "08", "71", "72"]


def rand_date(rng: Random, y0: int, y1: int) -> dt.date:
    y = rng.randint(y0, y1)
    mo = rng.randint(1, 12)
    return dt.date(y, mo, rng.randint(1, calendar.monthrange(y, mo)[1]))


def region6(rng: Random, prov: str | None = None) -> str:
    prov = prov or ("52" if rng.random() < 0.86 else rng.choice(sorted(OTHER_PROV)))
    kab = rng.choice(NTB_KAB if prov == "52" else OTHER_PROV[prov])
    if prov == "52":
        top = len(KEC[f"52.{kab}"])
    else:
        top = {"51": 6, "53": 12, "35": 20}[prov] if kab not in ("71", "73", "78") else 4
    kec = rng.randint(1, top)
    return f"{prov}{kab}{kec:02d}"


def nik(rng: Random, sex: str | None = None, born: dt.date | None = None, prov: str | None = None) -> str:
    sex = sex or rng.choice("LP")
    born = born or rand_date(rng, 1938, 2016)
    day = born.day + (40 if sex == "P" else 0)
    return f"{region6(rng, prov)}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 420):04d}"


def kk_number(rng: Random) -> str:
    issued = rand_date(rng, 2004, 2023)
    return f"{region6(rng)}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{rng.randint(1, 2600):04d}"


MOBILE_PREFIX = ["812", "813", "821", "822", "823", "852", "853", "817", "818", "819", "859", "877",
                 "878", "881", "882", "895", "896", "897", "898", "838", "831", "857"]


def mobile_parts(rng: Random) -> tuple[str, str]:
    """('8xx', subscriber digits); 0 + 3 + 7..9 = 11..13 digits."""
    return rng.choice(MOBILE_PREFIX), "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([7, 8, 8, 9])))


def chunks(s: str, sizes: list[int]) -> list[str]:
    out, i = [], 0
    for k in sizes:
        if i >= len(s):
            break
        out.append(s[i:i + k])
        i += k
    if i < len(s):
        out[-1] += s[i:]
    return out


def phone(rng: Random, style: str) -> str:
    p, rest = mobile_parts(rng)
    g4 = chunks(rest, {7: [4, 3], 8: [4, 4], 9: [4, 5]}[len(rest)])
    g34 = chunks(rest, {7: [3, 4], 8: [4, 4], 9: [3, 3, 3]}[len(rest)])
    styles = {
        "plus_dash": lambda: f"+62 {p}-" + "-".join(g4),
        "plus_space": lambda: f"+62 {p} " + " ".join(g4),
        "plus_paren": lambda: f"+62({p}){rest}",
        "plus_compact": lambda: f"+62{p}{rest}",
        "62_space": lambda: f"62 {p} " + " ".join(g4),
        "62_dash": lambda: f"62-{p}-" + "-".join(g34),
        "62_plain": lambda: f"62{p}{rest}",
        "0_dot": lambda: f"0{p}." + ".".join(g4),
        "0_dash": lambda: f"0{p}-" + "-".join(g4),
        "0_space": lambda: f"0{p} " + " ".join(g4),
        "0_paren": lambda: f"(0{p}) " + " ".join(g34),
        "0_paren_dash": lambda: f"(0{p}) " + "-".join(g4),
        "0_plain": lambda: f"0{p}{rest}",
        "0_wa": lambda: f"0{p}-{rest} (WA)",
    }
    return styles[style]()


def landline(rng: Random, area: str) -> str:
    n = "".join(str(rng.randint(0, 9)) for _ in range(5 if area != "0370" else 6))
    n = str(rng.randint(2, 6)) + n[1:]
    styles = [f"({area}) {n}", f"{area}-{n}", f"{area} {n}"]
    if len(n) == 6:
        styles.append(f"({area}) {n[:3]}-{n[3:]}")
    return rng.choice(styles)


# --------------------------------------------------------------------------------------
# Institutions and addresses (public by nature)
# --------------------------------------------------------------------------------------
LKS_KIND = ["LKSA", "LKS", "Yayasan", "Panti Asuhan", "Pondok Pesantren", "LKS Lanjut Usia",
            "LKS Penyandang Disabilitas", "Yayasan Sosial"]
LKS_WORDS = ["Nurul Hikmah", "Darul Aitam", "Al-Ikhlas", "Baitul Mal", "Darussalam", "Nurul Yaqin",
             "Al-Mubarak", "Miftahul Jannah", "Hidayatullah", "Al-Hidayah", "Nurul Iman", "Bina Insani",
             "Harapan Bunda", "Kasih Ibu", "Mutiara Hati", "Tunas Bangsa", "Insan Mandiri",
             "Permata Hati", "Samawa Rea", "Dana Mbojo", "Tuan Guru", "Nahdlatul Wathan Anjani",
             "Al-Falah", "Ar-Rahmah", "Raudhatul Jannah", "Dharma Jati", "Sekar Wangi",
             "Metta Karuna", "Budi Dharma", "Kasih Bapa", "Santa Maria", "St. Antonius",
             "Ummul Quro", "Babul Khair", "Maraqitta'limat", "Fathul Bari", "Mandalika Peduli"]
LKS_PERSON_NAMED = ["Yayasan Siti Hajar", "LKSA Haji Abdul Gani", "Panti Asuhan Ummi Kalsum",
                    "Yayasan Nurul Fatimah", "Yayasan Baiq Hasnah", "LKSA Hj. Ruwaidah",
                    "Yayasan Ibu Sinarsih", "Panti Asuhan Sitti Khadijah", "Yayasan Lalu Sapwan",
                    "LKS Lansia Papuq Sarep", "Yayasan Dr. Soetomo Peduli", "Panti Asuhan Ni Luh Sekar",
                    "Yayasan Syekh Abdul Qadir Jaelani", "LKSA Al-Hajjah Rukayah", "Yayasan Andi Tenri"]
STREETS = ["Jl. Pejanggik", "Jl. Majapahit", "Jl. Sultan Kaharuddin", "Jl. Soekarno-Hatta",
           "Jl. Lintas Sumbawa-Bima", "Jl. Dr. Soetomo", "Jl. Sultan Hasanuddin", "Jl. TGH. Faisal",
           "Jl. Gajah Mada", "Jl. Ki Hajar Dewantara", "Jl. Lingkar Selatan", "Jl. Pendidikan",
           "Jl. Bung Karno", "Jl. Sultan Salahuddin", "Jl. Garuda", "Jl. Diponegoro",
           "Jl. Raya Praya-Mantang", "Jl. Raya Tanjung-Bayan", "Jl. Dr. Wahidin", "Jl. Langko",
           "Jl. Bung Hatta", "Jl. Merdeka", "Jl. Datuk Dibanta", "Jl. Lalu Mesir", "Jl. Baiq Wahyu"]


LKS_NON_ISLAMIC = {"Dharma Jati", "Sekar Wangi", "Metta Karuna", "Budi Dharma", "Kasih Bapa", "Santa Maria",
                   "St. Antonius"}


def lks_name(rng: Random, person_named: float = 0.25) -> str:
    if rng.random() < person_named:
        return rng.choice(LKS_PERSON_NAMED)
    kind = rng.choice(LKS_KIND)
    words = [w for w in LKS_WORDS if not (kind == "Pondok Pesantren" and w in LKS_NON_ISLAMIC)]
    return kind + " " + rng.choice(words)


def lks_names(rng: Random, n: int, person_named: float = 0.25) -> list[str]:
    out, seen = [], set()
    while len(out) < n:
        x = lks_name(rng, person_named)
        if x in seen:
            x = f"{x} {rng.choice(['II', 'III', 'Putri', 'Putra', rng.choice(DESA)])}"
        if x in seen:
            continue
        seen.add(x)
        out.append(x)
    return out


def office_address(rng: Random, kab: tuple) -> str:
    kec = rng.choice(KEC[kab[0]])
    return f"{rng.choice(STREETS)} No. {rng.randint(1, 140)}, Kec. {kec}, {kab[2]}"


# --------------------------------------------------------------------------------------
# Vocabularies for aggregates and microdata
# --------------------------------------------------------------------------------------
PPKS = ["Anak Balita Terlantar", "Anak Terlantar", "Anak Berhadapan dengan Hukum", "Anak Jalanan",
        "Lanjut Usia Terlantar", "Penyandang Disabilitas", "Tuna Susila", "Gelandangan", "Pengemis",
        "Pemulung", "Bekas Warga Binaan Pemasyarakatan", "Korban NAPZA", "ODHA",
        "Korban Tindak Kekerasan", "Korban Perdagangan Orang", "Perempuan Rawan Sosial Ekonomi",
        "Keluarga Bermasalah Sosial Psikologis", "Komunitas Adat Terpencil", "Fakir Miskin",
        "Pekerja Migran Bermasalah Sosial"]
DISAB = ["Disabilitas Fisik", "Disabilitas Intelektual", "Disabilitas Mental", "Disabilitas Sensorik Netra",
         "Disabilitas Sensorik Rungu", "Disabilitas Sensorik Wicara", "Disabilitas Ganda"]
JOBS = ["Petani", "Buruh Tani", "Nelayan", "Pedagang Kecil", "Tukang Ojek", "Mengurus Rumah Tangga",
        "Tidak Bekerja", "Buruh Bangunan", "Peternak", "Mantan PMI", "Pengrajin Gerabah", "Penenun",
        "Pelajar", "Buruh Harian Lepas"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]
BENCANA = ["Kebakaran Permukiman", "Banjir", "Banjir Bandang", "Angin Puting Beliung", "Tanah Longsor",
           "Gelombang Pasang/Abrasi", "Kekeringan", "Konflik Sosial", "Gempa Bumi"]
GOLONGAN = ["I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d",
            "IV/a", "IV/b", "IV/c", "IV/d", "IV/e"]
PENDIDIKAN = ["SD", "SMP", "SMA/SMK", "D-III", "D-IV", "S-1", "S-2", "S-3"]
BIDANG = ["Sekretariat", "Bidang Perlindungan dan Jaminan Sosial", "Bidang Rehabilitasi Sosial",
          "Bidang Pemberdayaan Sosial", "Bidang Penanganan Fakir Miskin", "UPT Panti Sosial Lanjut Usia",
          "UPT Panti Sosial Asuhan Anak", "UPT Panti Sosial Bina Laras"]


def small(rng: Random, hi: int = 9, zero: float = 0.3) -> int:
    return 0 if rng.random() < zero else rng.randint(1, hi)


def long_date_id(d: dt.date) -> str:
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------
def id_number(x) -> str:
    """Indonesian-locale rendering: 1.234.567 and 12,5."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}".replace(",", ".")
    s = repr(x)
    ip, _, fp = s.partition(".")
    ip = f"{int(ip):,}".replace(",", ".")
    return ip + ("," + fp if fp and fp != "0" else "")


def cell_text(v, fmt: str) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if fmt == "semi":
            return id_number(v)
        return str(v)
    return str(v)


def write_csv(path: Path, rows: list[list], fmt: str) -> None:
    delim = ";" if fmt == "semi" else ","
    enc = "utf-8-sig" if fmt == "bom" else "utf-8"
    eol = "\r\n" if fmt in ("semi", "bom") else "\n"
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=eol)
    for r in rows:
        w.writerow([cell_text(v, fmt) for v in r])
    path.write_bytes(buf.getvalue().encode(enc))


def write_xlsx(path: Path, rows: list[list], sheet: str, merges: list[str], date_fmt: str | None,
               number_formats: dict | None = None, extra_sheets: list | None = None) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, dt.date):
                c.number_format = date_fmt or "DD/MM/YYYY"
            if number_formats and c.column_letter in number_formats and isinstance(c.value, (int, float)):
                c.number_format = number_formats[c.column_letter]
    for m in merges:
        ws.merge_cells(m)
    for title, srows in (extra_sheets or []):
        s = wb.create_sheet(title)
        for r in srows:
            s.append(list(r))
    fixed = dt.datetime(*FIXED_TS)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "holdout"
    raw = io.BytesIO()
    wb.save(raw)
    # normalise: fixed zip timestamps and core.xml dates, so reruns are byte-identical
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>2024-01-02T03:04:06Z\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TS)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------------------
# PERSONAL generators. Each returns dict(rows=..., note=..., [sheet, merges, date_fmt]).
# --------------------------------------------------------------------------------------
def p_names_only_1(rng):
    n = rng.randint(30, 45)
    rows = [["Calon Penerima", "Desa/Kel.", "Kecamatan"]]
    for name, _ in people(rng, n):
        k = rng.choice(KAB)
        rows.append([name, rng.choice(DESA), rng.choice(KEC[k[0]])])
    return dict(rows=rows, note="'Calon Penerima' list of names with desa and kecamatan, no digits anywhere")


def p_names_only_2(rng):
    n = rng.randint(18, 28)
    rows = [[name, rng.choice(DESA)] for name, _ in people(rng, n, case="upper")]
    return dict(rows=rows, note="no header row at all; ALL CAPS names and a desa column, no digits")


def p_names_only_3(rng):
    rows = [["Yg Bersangkutan", "Kelompok", "Kedudukan dlm Kelompok"]]
    groups = [f"KUBE {w}" for w in rng.sample(["Mawar", "Sejahtera", "Tunas Harapan", "Bale Mesaq",
                                                 "Dende Mas", "Sari Laut", "Tenun Sukarara", "Sasambo"], 5)]
    for g in groups:
        members = people(rng, rng.randint(5, 9), titles=0.1)
        for i, (name, _) in enumerate(members):
            role = ["Ketua", "Sekretaris", "Bendahara"][i] if i < 3 else "Anggota"
            rows.append([name, g, role])
    return dict(rows=rows, note="KUBE membership by name; ';' CSV; no numbers")


def p_names_only_4(rng):
    rows = [["Nama Anggota Keluarga", "Hubungan dgn Kepala Keluarga", "Desa", "Keterangan"]]
    while len(rows) < rng.randint(30, 40):
        head, hs = person(rng, sex="L" if rng.random() < 0.8 else "P", titles=0.05)
        desa = rng.choice(DESA)
        rows.append([head, "Kepala Keluarga", desa, rng.choice(["Pindahan", "Tetap", "Tetap", ""])])
        if hs == "L":
            rows.append([person(rng, sex="P", titles=0.0)[0], "Istri", desa, ""])
        for _ in range(rng.randint(0, 3)):
            rows.append([person(rng, titles=0.0, alias=0)[0], rng.choice(["Anak", "Anak", "Cucu", "Famili Lain"]), desa, ""])
    return dict(rows=rows, sheet="Anggota Keluarga", merges=[],
                note="XLSX family roster by name (head, spouse, children), text only")


def p_names_only_5(rng):
    rows = [["A", "B", "C"]]
    for name, _ in people(rng, rng.randint(20, 32), titles=0.7):
        k = rng.choice(KAB)
        rows.append([name, f"Kec. {rng.choice(KEC[k[0]])}", rng.choice(["Pendamping PKH", "Pekerja Sosial Masyarakat",
                                                                        "TKSK", "Pendamping Rehsos", "Tagana"])])
    return dict(rows=rows, note="column letters A,B,C as header; names with degrees (S.Kep., A.Md.Keb., Ns.) of field workers")


def p_people_headers_1(rng):
    rows = [["Beneficiary name", "Village", "Age", "Amount received (IDR)", "Programme"]]
    for name, _ in people(rng, rng.randint(20, 35), case="as_is"):
        rows.append([name, rng.choice(DESA), rng.randint(19, 88), rng.choice([600000, 750000, 900000, 2400000]),
                     rng.choice(["PKH", "BPNT", "BLT-DD"])])
    return dict(rows=rows, note="English headers; one row per beneficiary with age and amount")


def p_people_headers_2(rng):
    rows = [["Nama Siswa", "Orang Tua/Wali", "Sekolah", "Kelas", "Besaran PIP (Rp)"]]
    for _ in range(rng.randint(25, 40)):
        child, _ = person(rng, titles=0, alias=0)
        parent, _ = person(rng, titles=0.05)
        lvl = rng.choice(["SDN", "SMPN", "MTs", "MI"])
        rows.append([child, parent, f"{lvl} {rng.randint(1, 9)} {rng.choice(DESA)}",
                     rng.randint(1, 6) if lvl in ("SDN", "MI") else rng.randint(7, 9),
                     450000 if lvl in ("SDN", "MI") else 750000])
    return dict(rows=rows, note="children (Nama Siswa) with Orang Tua/Wali names, school and PIP amount")


def p_people_headers_3(rng):
    rows = [["Klien", "Umur", "Jenis Kelamin", "Ragam Disabilitas", "Tgl. Masuk Balai"]]
    for name, sex in people(rng, rng.randint(18, 30)):
        rows.append([name, rng.randint(8, 60), "Laki-laki" if sex == "L" else "Perempuan", rng.choice(DISAB),
                     rand_date(rng, 2019, 2024).strftime("%d-%m-%Y")])
    return dict(rows=rows, note="rehabilitation clients ('Klien') with disability type (specific personal data); ';' CSV")


def p_people_headers_4(rng):
    rows = [["Penghuni", "Asal Kabupaten/Kota", "Tahun Masuk", "Kondisi Kesehatan", "Keluarga yg Dapat Dihubungi"]]
    for name, _ in people(rng, rng.randint(20, 34), titles=0.1):
        fam = rng.choice(["Tidak ada", "Tidak diketahui", "Anak: " + person(rng, titles=0)[0],
                          "Keponakan: " + person(rng, titles=0)[0]])
        rows.append([name, rng.choice(KAB)[2], rng.randint(2012, 2024),
                     rng.choice(["Sehat", "Hipertensi", "Stroke ringan", "Katarak", "Diabetes", "Demensia"]), fam])
    return dict(rows=rows, sheet="Penghuni", merges=[],
                note="XLSX elderly-home residents ('Penghuni') with health condition and relatives' names")


def p_people_headers_5(rng):
    rows = [["Identitas", "Warga Desa", "Pekerjaan", "Penghasilan per Bulan (Rp)", "Penanggung Jawab"]]
    pjs = [person(rng, titles=0.8)[0] for _ in range(3)]
    for name, _ in people(rng, rng.randint(22, 40)):
        rows.append([name, rng.choice(DESA), rng.choice(JOBS), rng.choice([0, 300000, 500000, 750000, 1200000]),
                     rng.choice(pjs)])
    return dict(rows=rows, note="'Identitas' holds the person's name; income per person; Penanggung Jawab = worker name")


def p_people_headers_6(rng):
    rows = [["Holder", "Bank", "Card status", "Balance (IDR)", "Last withdrawal"]]
    for name, _ in people(rng, rng.randint(16, 26)):
        rows.append([name, rng.choice(["BRI", "BNI", "Mandiri", "BSI", "Bank NTB Syariah"]),
                     rng.choice(["Aktif", "Aktif", "Terblokir", "Belum diambil"]), rng.randrange(0, 2400000, 50000),
                     rand_date(rng, 2023, 2024).isoformat()])
    return dict(rows=rows, note="KKS card 'Holder' names with bank balance (financial personal data)")


NOTE_FILLER = ["-", "Lengkap", "Sesuai data", "", "", "Tersalur 100%", "Data sementara", "Sudah diverifikasi"]


def mention(rng: Random) -> str:
    n = person(rng, titles=0.3, case="as_is")[0]
    return rng.choice([
        f"Tersalur a/n {n}", f"a/n {n} (Kadus)", f"Bpk. {n} belum mengambil", f"an. Ibu {n}",
        f"diterima oleh {n}", f"Diwakilkan kepada Sdr. {n}", f"Pengganti: {n}",
        f"Penerima meninggal, dialihkan ke ahli waris {n}", f"Kontak desa: Bpk {n}",
        f"Ibu {n} pindah domisili", f"Dikoordinir Kades {n}"])


def p_free_text_1(rng):
    k = KAB[2]
    rows = [["Kecamatan", "Jumlah KPM", "Tersalur", "Keterangan"]]
    kecs = KEC[k[0]]
    hits = set(rng.sample(range(len(kecs)), 5))
    for i, kec in enumerate(kecs):
        n = rng.randint(400, 3800)
        rows.append([kec, n, n - small(rng, 12), mention(rng) if i in hits else rng.choice(NOTE_FILLER)])
    return dict(rows=rows, note="Lombok Timur kecamatan counts; 5 Keterangan cells name a person (a/n, Bpk., an. Ibu)")


def p_free_text_2(rng):
    rows = [["Desa", "Paket Sembako", "Nilai (Rp)", "Catatan"]]
    desas = rng.sample(DESA, rng.randint(20, 30))
    hits = set(rng.sample(range(len(desas)), 7))
    for i, d in enumerate(desas):
        p = rng.randint(20, 300)
        rows.append([d, p, p * 250000, mention(rng) if i in hits else rng.choice(NOTE_FILLER)])
    return dict(rows=rows, note="';' CSV; desa totals with 7 Catatan cells naming a recipient/officer")


def p_free_text_3(rng):
    rows = [["Kabupaten/Kota", "Jenis Bencana", "Kejadian", "KK", "Jiwa", "Keterangan"]]
    for k in KAB:
        for b in rng.sample(BENCANA, 2):
            ev = small(rng, 6)
            kk = ev * rng.randint(1, 40)
            note = rng.choice(NOTE_FILLER)
            if ev and rng.random() < 0.35:
                note = rng.choice([
                    f"Korban meninggal: Bpk. {person(rng, sex='L', titles=0)[0]} ({rng.randint(40, 90)} th)",
                    f"Rumah a/n {person(rng, titles=0)[0]} rusak berat",
                    f"Luka-luka: an. {person(rng, titles=0)[0]}, dirawat di RSUD"])
            rows.append([k[2], b, ev, kk, kk * rng.randint(3, 5) if kk else 0, note])
    return dict(rows=rows, note="disaster counts; some Keterangan name a victim ('Korban meninggal: Bpk. ...')")


def p_free_text_4(rng):
    rows = [["Tahun", "Bulan", "Pengaduan Masuk", "Selesai", "Catatan"]]
    for y in (2023, 2024):
        for b in BULAN:
            rows.append([y, b, rng.randint(2, 40), rng.randint(0, 30), ""])
    for idx in rng.sample(range(1, len(rows)), 2):
        rows[idx][4] = rng.choice([f"Pengaduan disampaikan Sdr. {person(rng, titles=0)[0]} via telepon",
                                   f"Kasus an. {person(rng, sex='P', titles=0)[0]} dirujuk ke UPTD PPA"])
    return dict(rows=rows, note="monthly complaint counts; only 2 of 24 Catatan cells name a person")


def p_free_text_5(rng):
    rows = [["Kabupaten/Kota", "Jumlah LKS", "Terakreditasi", "Keterangan"]]
    for k in KAB:
        for jenis in ("LKSA", "LKS Lansia"):
            n = rng.randint(0, 25)
            rows.append([f"{k[2]} - {jenis}", n, rng.randint(0, n),
                         rng.choice(["-", "", "Data sementara", "Sudah diverifikasi", "Termasuk 2 LKS baru"])])
    rows[rng.randrange(1, len(rows))][3] = f"Ketua forum baru: {person(rng, sex='P', titles=1.0, case='as_is')[0]}"
    return dict(rows=rows, note="UTF-8 BOM; LKS counts; a single Keterangan cell names a person with title and degree")


def _nik_rows(rng, n):
    out = []
    for _ in range(n):
        sex = rng.choice("LP")
        born = rand_date(rng, 1940, 2012)
        out.append((nik(rng, sex, born), sex, born))
    return out


def p_nik_split_1(rng):
    rows = [["NIK (1)", "NIK (2)", "Desa", "Status"]]
    for v, _, _ in _nik_rows(rng, rng.randint(25, 45)):
        rows.append([v[:8], v[8:], rng.choice(DESA), rng.choice(["Layak", "Tidak Layak", "Meninggal", "Pindah"])])
    return dict(rows=rows, note="NIK split 8+8 in 'NIK (1)'/'NIK (2)'; no names")


def p_nik_split_2(rng):
    rows = [["Bag. 1", "Bag. 2", "Bag. 3", "Kecamatan", "Usia"]]
    for v, _, born in _nik_rows(rng, rng.randint(20, 40)):
        rows.append([v[:6], v[6:12], v[12:], rng.choice(KEC["52.06"]), 2024 - born.year])
    return dict(rows=rows, note="NIK split 6+6+4 under neutral 'Bag. 1/2/3'; no names")


def p_nik_split_3(rng):
    rows = [["Kode Wilayah", "Tgl Lahir (ddmmyy)", "No. Urut", "L/P", "Bantuan"]]
    for v, sex, _ in _nik_rows(rng, rng.randint(20, 40)):
        rows.append([v[:6], v[6:12], v[12:], sex, rng.choice(["PKH", "BPNT", "PKH+BPNT", "-"])])
    return dict(rows=rows, note="';' CSV; NIK as kode wilayah + tgl lahir (day+40 for women) + no urut; no names")


def p_nik_split_4(rng):
    rows = [["A", "B", "C", "D"]]
    for v, _, _ in _nik_rows(rng, rng.randint(18, 30)):
        rows.append([v[:8], v[8:], rng.choice(DESA), rng.choice(["RTLH", "ATENSI", "Sembako", "Permakanan"])])
    return dict(rows=rows, note="column letters A-D; NIK halves 8+8 in A and B; no names")


def p_nik_split_5(rng):
    rows = [["Warga", "Kode Wil.", "Tgl", "Urut", "Desa"]]
    for name, sex in people(rng, rng.randint(20, 30)):
        v = nik(rng, sex)
        rows.append([name, v[:6], v[6:12], v[12:], rng.choice(DESA)])
    return dict(rows=rows, sheet="Sheet1", merges=[],
                note="XLSX; names under 'Warga' plus NIK split 6+6+4 as text cells")


def spaced(v: str, style: str) -> str:
    return {
        "4x4": " ".join(chunks(v, [4, 4, 4, 4])),
        "dots": f"{v[:4]}.{v[4:6]}.{v[6:12]}.{v[12:]}",
        "dashes": f"{v[:2]}-{v[2:4]}-{v[4:6]}-{v[6:12]}-{v[12:]}",
        "6_6_4": f"{v[:6]} {v[6:12]} {v[12:]}",
        "pairs": " ".join(chunks(v, [2, 2, 2, 2, 2, 2, 4])),
        "dash_4x4": "-".join(chunks(v, [4, 4, 4, 4])),
        "dots_4x4": ".".join(chunks(v, [4, 4, 4, 4])),
    }[style]


def p_nik_spaced_1(rng):
    rows = [["No. Identitas", "Desa", "Jenis Bantuan"]]
    for v, _, _ in _nik_rows(rng, rng.randint(25, 40)):
        rows.append([spaced(v, "4x4"), rng.choice(DESA), rng.choice(["BPNT", "PKH", "BLT"])])
    return dict(rows=rows, note="NIK written '5201 0345 0885 0012' under 'No. Identitas'; no names")


def p_nik_spaced_2(rng):
    rows = [["KTP", "Kecamatan", "Ragam Disabilitas"]]
    for v, _, _ in _nik_rows(rng, rng.randint(20, 35)):
        rows.append([spaced(v, "dots"), rng.choice(KEC["52.02"]), rng.choice(DISAB)])
    return dict(rows=rows, note="';' CSV; NIK as '5202.03.450885.0012' with disability type; no names")


def p_nik_spaced_3(rng):
    rows = [["ID Warga", "Penerima", "Dusun"]]
    for name, sex in people(rng, rng.randint(20, 30)):
        rows.append([spaced(nik(rng, sex), "dashes"), name, rng.choice(DUSUN)])
    return dict(rows=rows, note="NIK as '52-01-03-450885-0012' under 'ID Warga' with names under 'Penerima'")


def p_nik_spaced_4(rng):
    rows = [["Ref", "Wilayah", "Status Verval"]]
    styles = ["4x4", "dots", "dashes", "6_6_4", "pairs", "dash_4x4", "dots_4x4"]
    for v, _, _ in _nik_rows(rng, rng.randint(28, 42)):
        rows.append([spaced(v, rng.choice(styles)), rng.choice(KAB)[3], rng.choice(["Valid", "Ganda", "Tidak Padan"])])
    return dict(rows=rows, note="mixed NIK spellings (spaces, dots, dashes, pairs) in one 'Ref' column; no names")


def p_nik_spaced_5(rng):
    rows = [["Nomor", "Yg Bersangkutan", "Keterangan"]]
    for name, sex in people(rng, rng.randint(16, 24), case="upper"):
        rows.append([spaced(nik(rng, sex), "6_6_4"), name, rng.choice(["Usulan baru", "Perbaikan data", ""])])
    return dict(rows=rows, note="NIK '520103 450885 0012' under 'Nomor' with ALL CAPS names")


def p_phone_1(rng):
    rows = [["Penerima", "Desa", "Kontak"]]
    styles = ["plus_dash", "plus_space", "62_space", "0_dot", "0_dash", "0_space", "0_paren", "0_plain"]
    for name, _ in people(rng, rng.randint(22, 35)):
        rows.append([name, rng.choice(DESA), phone(rng, rng.choice(styles))])
    return dict(rows=rows, note="UTF-8 BOM; names with mobiles in many spellings under 'Kontak'")


def p_phone_2(rng):
    rows = [["Hubungi", "Desa", "Kategori PPKS", "Sudah Dikunjungi"]]
    styles = ["plus_compact", "62_plain", "0_plain", "0_wa", "62_dash"]
    for _ in range(rng.randint(20, 32)):
        rows.append([phone(rng, rng.choice(styles)), rng.choice(DESA), rng.choice(PPKS), rng.choice(["Ya", "Belum"])])
    return dict(rows=rows, note="mobiles only (no names) under 'Hubungi', one row per PPKS case")


def p_phone_3(rng):
    rows = [["Nm. Pendamping", "Wilayah Tugas", "Telp/WA"]]
    for name, _ in people(rng, rng.randint(18, 28), titles=0.6):
        k = rng.choice(KAB)
        rows.append([name, f"{rng.choice(KEC[k[0]])}, {k[3]}", phone(rng, "0_dot")])
    return dict(rows=rows, note="';' CSV; field workers with mobiles as '0812.3456.7890'")


def p_phone_4(rng):
    rows = [["Warga", "Dusun", "HP"]]
    for name, _ in people(rng, rng.randint(20, 30), titles=0.05):
        rows.append([name, rng.choice(DUSUN), phone(rng, rng.choice(["0_paren", "0_paren_dash", "plus_paren"]))])
    return dict(rows=rows, note="mobiles with parentheses: '(0817) 345 6789', '+62(817)...'")


def p_phone_5(rng):
    rows = [["Orang Tua/Wali", "Anak", "No. Kontak"]]
    for _ in range(rng.randint(18, 26)):
        rows.append([person(rng, titles=0.1)[0], person(rng, titles=0, alias=0)[0],
                     phone(rng, rng.choice(["62_space", "plus_space", "plus_dash", "62_dash"]))])
    return dict(rows=rows, sheet="Kontak", merges=[],
                note="XLSX; parent and child names with '62 8xx' / '+62 8xx' numbers")


def p_kk_1(rng):
    rows = [["kode", "desa", "jumlah_anggota", "desil"]]
    for _ in range(rng.randint(30, 50)):
        rows.append([kk_number(rng), rng.choice(DESA), rng.randint(1, 9), rng.randint(1, 4)])
    return dict(rows=rows, note="16-digit KK numbers in 'kode'; one row per family with desil")


def p_kk_2(rng):
    rows = [["No", "Dusun", "Jml Jiwa", "Status Rumah"]]
    for _ in range(rng.randint(20, 35)):
        rows.append([kk_number(rng), rng.choice(DUSUN), rng.randint(1, 8), rng.choice(["Milik Sendiri", "Menumpang", "Sewa", "RTLH"])])
    return dict(rows=rows, note="';' CSV; KK numbers in a column called 'No'")


def p_kk_3(rng):
    rows = [["ID", "kecamatan", "kategori_pmks", "terverifikasi"]]
    for _ in range(rng.randint(25, 40)):
        rows.append([kk_number(rng), rng.choice(KEC["52.04"]), rng.choice(PPKS), rng.choice(["ya", "tidak"])])
    return dict(rows=rows, note="KK numbers under 'ID' with PMKS category per family")


def p_kk_4(rng):
    rows = [["Kode", "Kelurahan", "Bantuan", "Tahap"]]
    for _ in range(rng.randint(20, 30)):
        rows.append([kk_number(rng), rng.choice(["Pagesangan", "Karang Pule", "Monjok", "Rembiga", "Pejeruk",
                                                 "Cilinaya", "Mayura", "Babakan", "Turida", "Bertais"]),
                     rng.choice(["Sembako", "PKH"]), rng.choice(["I", "II", "III", "IV"])])
    return dict(rows=rows, sheet="Rekap", merges=[], note="XLSX; KK numbers as text under 'Kode'")


def p_kk_5(rng):
    rows = [["No.", "Ref", "Kab", "Anggota"]]
    for i in range(1, rng.randint(18, 30)):
        rows.append([i, kk_number(rng), rng.choice(KAB)[3], rng.randint(1, 7)])
    return dict(rows=rows, note="row-number column plus KK numbers under 'Ref'")


def p_micro_1(rng):
    rows = [["Desa", "Dusun", "Umur", "JK", "Ragam Disabilitas"]]
    for _ in range(rng.randint(30, 55)):
        rows.append([rng.choice(DESA[:20]), rng.choice(DUSUN), rng.randint(3, 91), rng.choice("LP"), rng.choice(DISAB)])
    return dict(rows=rows, note="one row per disabled person: desa+dusun+exact age+sex+disability; no names, no count")


def p_micro_2(rng):
    rows = [["Kecamatan", "Desa", "Tgl Lahir", "L/P", "Status Bantuan"]]
    for _ in range(rng.randint(25, 45)):
        rows.append([rng.choice(KEC["52.05"]), rng.choice(DESA[20:40]), rand_date(rng, 1940, 2010).strftime("%d-%m-%Y"),
                     rng.choice("LP"), rng.choice(["PKH", "BPNT", "PBI-JK", "Tidak Menerima"])])
    return dict(rows=rows, note="';' CSV; one row per person with full birth date, sex and aid status; no names")


def p_micro_3(rng):
    rows = [["desa", "usia", "jenis_kelamin", "pekerjaan", "status_kawin", "disabilitas"]]
    for _ in range(rng.randint(30, 60)):
        rows.append([rng.choice(DESA[40:60]), rng.randint(15, 85), rng.choice(["laki-laki", "perempuan"]), rng.choice(JOBS),
                     rng.choice(["kawin", "belum kawin", "cerai hidup", "cerai mati"]),
                     rng.choice(["tidak", "tidak", "tidak"] + [d.lower() for d in DISAB])])
    return dict(rows=rows, note="lowercase microdata: desa+age+sex+job+marital+disability per person")


def p_micro_4(rng):
    rows = [["Kab/Kota", "Kecamatan", "Desa", "Tanggal Lahir", "Sex", "Jenis PPKS"]]
    for _ in range(rng.randint(20, 35)):
        k = rng.choice(KAB)
        rows.append([k[2], rng.choice(KEC[k[0]]), rng.choice(DESA), rand_date(rng, 1960, 2008), rng.choice(["M", "F"]),
                     rng.choice(["ODHA", "Korban NAPZA", "Korban Tindak Kekerasan", "Korban Perdagangan Orang",
                                 "Bekas Warga Binaan Pemasyarakatan"])])
    return dict(rows=rows, sheet="Data", merges=[], date_fmt="DD-MM-YYYY",
                note="XLSX; birth dates as real date cells; health/criminal PPKS types per person; no names")


def p_micro_5(rng):
    rows = [["Dusun", "Umur (th)", "Umur (bln)", "L/P", "Status Anak", "Sekolah"]]
    for _ in range(rng.randint(20, 35)):
        rows.append([rng.choice(DUSUN), rng.randint(0, 17), rng.randint(0, 11), rng.choice("LP"),
                     rng.choice(["Yatim", "Piatu", "Yatim Piatu", "Terlantar"]), rng.choice(["Ya", "Tidak", "Putus Sekolah"])])
    return dict(rows=rows, note="children, one row each: dusun + age in years and months + sex + orphan status")


def p_lower_1(rng):
    rows = [["warga", "dusun", "desa"]]
    for name, _ in people(rng, rng.randint(25, 40), case="lower"):
        rows.append([name, rng.choice(DUSUN).lower(), rng.choice(DESA).lower()])
    return dict(rows=rows, note="all-lowercase names under 'warga' with dusun and desa")


def p_lower_2(rng):
    rows = []
    for name, _ in people(rng, rng.randint(20, 30), case="lower", group="sasak"):
        rows.append([name, "dsn. " + rng.choice(DUSUN).lower(), rng.choice(DESA[:12]).lower()])
    return dict(rows=rows, note="UTF-8 BOM, no header; lowercase Sasak names ('amaq ...', 'baiq ...'), 'dsn. ...'")


def p_lower_3(rng):
    rows = [["penerima", "dusun", "jenis bantuan"]]
    for name, _ in people(rng, rng.randint(20, 32), case="lower"):
        rows.append([name, rng.choice(DUSUN).lower(), rng.choice(["sembako", "pkh", "blt dd", "rutilahu"])])
    return dict(rows=rows, note="';' CSV; lowercase names with dusun")


def p_lower_4(rng):
    rows = [["krt", "dusun", "art"]]
    for name, _ in people(rng, rng.randint(22, 35), case="lower", titles=0.1):
        rows.append([name, rng.choice(DUSUN).lower(), rng.randint(1, 9)])
    return dict(rows=rows, note="KRT (kepala rumah tangga) lowercase names, dusun, number of household members")


def p_lower_5(rng):
    rows = [["Penerima Manfaat", "Dusun"]]
    for name, _ in people(rng, rng.randint(18, 26), case="lower", initials=0.6, titles=0.15):
        rows.append([name, rng.choice(DUSUN)])
    return dict(rows=rows, note="lowercase names with initials ('l. sahnan', 'm. nur', 'st. rukayah') and dusun")


def p_birth_1(rng):
    rows = [["Peserta", "Tempat Lahir", "Tgl Lahir"]]
    for name, _ in people(rng, rng.randint(25, 40)):
        rows.append([name, rng.choice(["Mataram", "Praya", "Selong", "Sumbawa Besar", "Dompu", "Bima", "Taliwang",
                                       "Tanjung", "Gerung", "Denpasar", "Surabaya"]),
                     rand_date(rng, 1950, 2006).strftime("%d-%m-%Y")])
    return dict(rows=rows, note="names with place and DD-MM-YYYY birth date")


def p_birth_2(rng):
    rows = [["Calon Penerima", "Tempat, Tgl Lahir", "Desa"]]
    for name, _ in people(rng, rng.randint(20, 30)):
        d = rand_date(rng, 1940, 1975)
        rows.append([name, f"{rng.choice(['Selong', 'Praya', 'Woha', 'Sape', 'Alas', 'Empang', 'Kediri'])}, {long_date_id(d)}",
                     rng.choice(DESA)])
    return dict(rows=rows, note="';' CSV; combined TTL 'Selong, 12 Maret 1961' under a non-standard header")


def p_birth_3(rng):
    rows = [["Nama Siswa", "Lahir", "Sekolah", "Kelas"]]
    for name, _ in people(rng, rng.randint(20, 32), titles=0, alias=0):
        rows.append([name, rand_date(rng, 2008, 2017), f"SDN {rng.randint(1, 12)} {rng.choice(DESA)}", rng.randint(1, 6)])
    return dict(rows=rows, sheet="Siswa", merges=[], date_fmt="D MMMM YYYY",
                note="XLSX; pupils with birth dates as date cells")


def p_birth_4(rng):
    rows = [["Klien", "Lahir (yyyy-mm-dd)", "Asal"]]
    for name, _ in people(rng, rng.randint(18, 28)):
        rows.append([name, rand_date(rng, 1945, 2005).isoformat(), rng.choice(KAB)[3]])
    return dict(rows=rows, note="ISO birth dates under 'Lahir (yyyy-mm-dd)'")


def p_birth_5(rng):
    rows = [["A", "B", "C"]]
    for name, _ in people(rng, rng.randint(20, 30), case="upper"):
        rows.append([name, rand_date(rng, 1950, 2000).strftime("%d/%m/%y"), rng.choice(DESA)])
    return dict(rows=rows, note="column letters; ALL CAPS names, 'dd/mm/yy' birth dates, desa")


def p_dir_1(rng):
    rows = [["Nama Lembaga", "Alamat Kantor", "Kab/Kota", "Ketua", "HP Ketua"]]
    for name in lks_names(rng, rng.randint(18, 30)):
        k = rng.choice(KAB)
        rows.append([name, office_address(rng, k), k[2], person(rng, titles=0.5, case="as_is")[0],
                     phone(rng, rng.choice(["0_plain", "0_dash", "0_space"]))])
    return dict(rows=rows, note="LKS directory with the chair's name and mobile")


def p_dir_2(rng):
    rows = [["Nama Lembaga", "Alamat", "Pimpinan", "Kontak"]]
    for name in lks_names(rng, rng.randint(16, 26)):
        k = rng.choice(KAB)
        rows.append([name, office_address(rng, k), person(rng, titles=0.7, case="as_is")[0],
                     phone(rng, rng.choice(["0_plain", "0_dot", "plus_space"]))])
    return dict(rows=rows, note="';' CSV; institutions with 'Pimpinan' name and a mobile under 'Kontak'")


def p_dir_3(rng):
    rows = [["Karang Taruna", "Desa", "Kecamatan", "Ketua", "No. WA"]]
    for d in rng.sample(DESA, rng.randint(18, 28)):
        k = rng.choice(KAB)
        rows.append([f"Karang Taruna {rng.choice(['Bina Remaja', 'Tunas Muda', 'Putra Bangsa', 'Mekar Sari', d])}",
                     d, rng.choice(KEC[k[0]]), person(rng, titles=0.1)[0], phone(rng, rng.choice(["0_plain", "62_plain"]))])
    return dict(rows=rows, sheet="Karang Taruna", merges=[], note="XLSX; Karang Taruna per desa with chair's name and WA number")


def p_dir_4(rng):
    rows = [["Posyandu Lansia", "Dusun", "Kader Penanggung Jawab", "Telp"]]
    for d in rng.sample(DUSUN, rng.randint(16, 24)):
        rows.append([f"Posyandu Lansia {rng.choice(['Mawar', 'Melati', 'Kenanga', 'Seroja', 'Bougenville', d])}", d,
                     person(rng, sex="P", titles=0.2)[0], phone(rng, rng.choice(["0_dash", "0_space", "0_paren"]))])
    return dict(rows=rows, note="posyandu list; the responsible cadre is named with a mobile")


def p_dir_5(rng):
    rows = [["LKSA", "Alamat", "Telp Kantor", "Pengurus", "HP"]]
    for name in lks_names(rng, rng.randint(16, 24)):
        k = rng.choice(KAB)
        rows.append([name, office_address(rng, k), landline(rng, k[4]), person(rng, titles=0.6, case="as_is")[0],
                     phone(rng, rng.choice(["0_plain", "plus_dash", "0_dash"]))])
    return dict(rows=rows, note="office landline (public) AND the named board member's mobile (personal)")


# --------------------------------------------------------------------------------------
# AGGREGATE generators
# --------------------------------------------------------------------------------------
def a_region_1(rng):
    rows = [["kode_provinsi", "nama_provinsi", "kode_kabupaten_kota", "nama_kabupaten_kota", "jenis_ppks",
             "jumlah", "satuan", "tahun"]]
    cats = rng.sample(PPKS, 4)
    for y in (2022, 2023):
        for k in KAB:
            for c in cats:
                rows.append([52, "Nusa Tenggara Barat", k[0], k[1].upper(), c, small(rng, 60, 0.25), "Jiwa", y])
    return dict(rows=rows, note="long form, 10 kab/kota x 4 PPKS x 2 years; many zeros and small counts")


def a_region_2(rng):
    rows = [["Kabupaten/Kota", "Kategori", "2020", "2021", "2022", "2023"]]
    for c in ("ODHA", "Korban NAPZA", "Anak Berhadapan dengan Hukum"):
        for k in KAB:
            rows.append([k[2], c] + [small(rng, 14, 0.35) for _ in range(4)])
    return dict(rows=rows, note="';' CSV; wide by year; sensitive categories with counts 0-14")


def a_region_3(rng):
    rows = [["Kode", "Wilayah", "Kategori", "L", "P", "Jumlah"]]
    for k in KAB:
        for c in ("Lanjut Usia Terlantar", "Penyandang Disabilitas", "Anak Terlantar"):
            l, p = rng.randint(0, 900), rng.randint(0, 900)
            rows.append([k[0].replace(".", ""), k[1].upper(), c, l, p, l + p])
    return dict(rows=rows, note="codes as '5201', names in capitals, L/P/Jumlah")


def a_region_4(rng):
    rows = [["Kab/Kota", "Tahun", "Fakir Miskin (KK)", "Gelandangan", "Pengemis", "Pemulung"]]
    for y in (2021, 2022, 2023):
        for k in KAB:
            rows.append([k[3], y, rng.randint(2000, 60000), small(rng, 5, 0.5), small(rng, 20, 0.4), small(rng, 40, 0.3)])
    return dict(rows=rows, sheet="PMKS", merges=[], note="XLSX; nicknames Lobar/Loteng/KSB/KLU as labels")


def a_region_5(rng):
    rows = [["kode_wilayah", "kabupaten_kota", "tahun", "korban_perdagangan_orang"]]
    for k in KAB:
        for y in (2019, 2020, 2021, 2022, 2023):
            rows.append([k[0], k[1], y, small(rng, 3, 0.55)])
    return dict(rows=rows, note="UTF-8 BOM; tiny counts (0-3) per kab/kota per year")


def a_lks_1(rng):
    rows = [["No", "Nama Lembaga", "Jenis", "Alamat", "Kab/Kota", "Telepon Kantor", "Akreditasi"]]
    for i, name in enumerate(lks_names(rng, rng.randint(25, 40)), 1):
        k = rng.choice(KAB)
        rows.append([i, name, rng.choice(["LKSA", "LKS Lansia", "LKS Disabilitas", "LKS Umum"]), office_address(rng, k),
                     k[2], landline(rng, k[4]), rng.choice(["A", "B", "C", "Belum"])])
    return dict(rows=rows, note="LKS partners with office address and landline; some named after people")


def a_lks_2(rng):
    rows = [["Nama LKS", "Alamat Kantor", "Telp", "Jml Anak Asuh", "Jml Pengasuh"]]
    for name in lks_names(rng, rng.randint(20, 30)):
        k = rng.choice(KAB)
        rows.append([name, office_address(rng, k), landline(rng, k[4]), rng.randint(10, 120), rng.randint(2, 12)])
    return dict(rows=rows, note="';' CSV; LKSA with counts of children and caregivers")


def a_lks_3(rng):
    rows = [["Lembaga", "Alamat", "Kabupaten/Kota", "Telepon"]]
    named = list(LKS_PERSON_NAMED)
    rng.shuffle(named)
    for name in named + lks_names(rng, 5, person_named=0):
        k = rng.choice(KAB)
        rows.append([name, office_address(rng, k), k[1], landline(rng, k[4])])
    return dict(rows=rows, note="institutions named after people ('Yayasan Siti Hajar', 'Yayasan Baiq Hasnah', 'LKSA Hj. Ruwaidah'), streets named after people")


def a_lks_4(rng):
    rows = [["Nama Panti/UPT", "Alamat", "Telp", "Kapasitas", "Terisi"]]
    for name in lks_names(rng, rng.randint(15, 22), person_named=0.2):
        k = rng.choice(KAB)
        cap = rng.randint(20, 100)
        rows.append([name, office_address(rng, k), landline(rng, k[4]), cap, rng.randint(0, cap)])
    return dict(rows=rows, sheet="Daftar LKS", merges=[], note="XLSX; capacity/occupancy per institution")


def a_lks_5(rng):
    rows = [["Nama Lembaga", "No. Izin Operasional", "Tgl Izin", "Alamat", "Telp. Kantor"]]
    for name in lks_names(rng, rng.randint(18, 28)):
        k = rng.choice(KAB)
        rows.append([name, f"460/{rng.randint(10, 999)}/Dinsos/{rng.randint(2016, 2024)}",
                     rand_date(rng, 2016, 2024).strftime("%d-%m-%Y"), office_address(rng, k), landline(rng, k[4])])
    return dict(rows=rows, note="licence numbers like '460/217/Dinsos/2022' and licence dates; office landlines")


def a_prog_1(rng):
    rows = [["Kabupaten/Kota", "Tahun", "PKH (KPM)", "BPNT (KPM)", "BLT-DD (KPM)", "PBI-JK (Jiwa)"]]
    for y in (2022, 2023):
        for k in KAB:
            rows.append([k[1], y, rng.randint(9000, 90000), rng.randint(15000, 120000), rng.randint(1000, 30000),
                         rng.randint(80000, 700000)])
    return dict(rows=rows, note="programme recipients per kab/kota per year")


def a_prog_2(rng):
    rows = [["Kabupaten", "Program", "Tahap", "Jumlah KPM", "Nilai (Rp)"]]
    for k in KAB:
        for prog, per in (("PKH", 750000), ("BPNT", 600000)):
            for t in ("I", "II"):
                n = rng.randint(5000, 80000)
                rows.append([k[2], prog, t, n, f"Rp {id_number(n * per)},00"])
    return dict(rows=rows, note="';' CSV; 'Rp 1.250.000,00' amounts as text, KPM counts")


def a_prog_3(rng):
    rows = [["kode_kabupaten_kota", "nama_kabupaten_kota", "program", "jumlah_kpm", "satuan", "tahun"]]
    for k in KAB:
        for p in ("PKH", "BPNT", "BLT", "PBI"):
            rows.append([k[0], k[2], p, rng.randint(1000, 200000), "KPM" if p != "PBI" else "Jiwa", 2024])
    return dict(rows=rows, note="long form programme x kab/kota")


def a_prog_4(rng):
    rows = [["Kab/Kota"] + BULAN[:6]]
    for k in KAB:
        base = rng.randint(50000, 400000)
        rows.append([k[2]] + [base + rng.randint(-3000, 3000) for _ in range(6)])
    for k in KAB[:6]:
        rows.append([f"{k[2]} (mandiri)"] + [rng.randint(100, 9000) for _ in range(6)])
    return dict(rows=rows, sheet="PBI", merges=[], note="XLSX; PBI-JK members per month per kab/kota")


def a_prog_5(rng):
    rows = [["Kabupaten/Kota", "Program", "Kuota", "Realisasi", "Persen"]]
    for k in KAB:
        for p in ("PKH", "BPNT"):
            q = rng.randint(8000, 90000)
            r = q - rng.randint(0, q // 20)
            rows.append([k[3], p, q, r, round(100 * r / q, 2)])
    return dict(rows=rows, note="quota vs realisation with percentages")


def a_names_cells_1(rng):
    rows = [["Kecamatan", "Desa", "Jumlah PMKS"]]
    for kec in rng.sample(KEC["52.02"], 6):
        for d in rng.sample(DESA, 5):
            rows.append([kec, d, rng.randint(0, 250)])
    return dict(rows=rows, note="kecamatan and desa names as row labels with counts")


def a_names_cells_2(rng):
    rows = [["Kecamatan", "Lansia L", "Lansia P", "Jumlah"]]
    for k in KAB[:3]:
        for kec in KEC[k[0]][:8]:
            l, p = rng.randint(10, 700), rng.randint(10, 800)
            rows.append([kec, l, p, l + p])
    return dict(rows=rows, note="';' CSV; kecamatan labels from Lombok only")


def a_names_cells_3(rng):
    kel = ["Pagesangan", "Karang Pule", "Monjok", "Rembiga", "Pejeruk", "Cilinaya", "Mayura", "Sayang-Sayang",
           "Babakan", "Turida", "Bertais", "Mandalika", "Abian Tubuh", "Selagalas", "Dasan Agung", "Kebon Sari",
           "Tanjung Karang", "Banjar", "Ampenan Selatan", "Cakranegara Timur", "Jempong Baru", "Kekalik Jaya"]
    rows = [["Kelurahan", "Kecamatan", "Anak Jalanan", "Gelandangan", "Pengemis"]]
    for x in kel:
        rows.append([x, rng.choice(KEC["52.71"]), small(rng, 8), small(rng, 4, 0.5), small(rng, 6, 0.4)])
    return dict(rows=rows, note="Mataram kelurahan labels (some read like names: Mandalika, Sayang-Sayang); small counts")


def a_names_cells_4(rng):
    rows = [["Desa", "Dusun", "Jumlah KK", "Jumlah Jiwa"]]
    for d in rng.sample(DESA, 6):
        for du in rng.sample(DUSUN, 5):
            kk = rng.randint(40, 400)
            rows.append([d, du, kk, kk * rng.randint(3, 4)])
    return dict(rows=rows, note="dusun names as labels aggregated to KK/jiwa counts")


def a_names_cells_5(rng):
    rows = [["Kecamatan"] + [d.replace("Disabilitas ", "") for d in DISAB]]
    for kec in KEC["52.06"]:
        rows.append([kec] + [small(rng, 40, 0.2) for _ in DISAB])
    return dict(rows=rows, sheet="Kab Bima", merges=[], note="XLSX; Kabupaten Bima kecamatan x disability type")


PLAIN_NOTES = ["Data sementara", "Angka perbaikan", "Sumber: BPS", "Sumber: Pusdatin Kemensos",
               "Belum termasuk Kota Bima", "Data per 31 Desember", "Angka sangat sementara", "-", "",
               "Menunggu SK Bupati", "Verifikasi oleh Dinas Sosial Kab.", "Lihat catatan kaki"]


def a_notes_1(rng):
    rows = [["Kabupaten/Kota", "Tahun", "Jumlah", "Keterangan"]]
    for y in (2022, 2023):
        for k in KAB:
            rows.append([k[2], y, rng.randint(0, 5000), rng.choice(PLAIN_NOTES)])
    return dict(rows=rows, note="Keterangan with 'Data sementara', 'Angka perbaikan', 'Sumber: BPS'")


def a_notes_2(rng):
    rows = [["Desa", "Paket", "Catatan"]]
    for d in rng.sample(DESA, 22):
        rows.append([d, rng.randint(10, 300), rng.choice(["Diserahkan kepada Kepala Desa", "Diterima Sekretaris Desa",
                                                          "Verifikasi oleh TKSK", "Menunggu SK Bupati", "Tersalur",
                                                          "Diterima oleh Ketua Karang Taruna", "-"])])
    return dict(rows=rows, note="';' CSV; Catatan names roles only ('Diserahkan kepada Kepala Desa', 'diterima oleh Ketua Karang Taruna')")


def a_notes_3(rng):
    rows = [["Kecamatan", "Rumah Tidak Layak Huni", "Direhab", "Keterangan"]]
    for kec in KEC["52.03"]:
        rows.append([kec, rng.randint(50, 900), rng.randint(0, 60),
                     rng.choice(["Termasuk 12 KK relokasi", "Per 31 Desember 2023", "Sumber: Bappeda",
                                 "Angka perbaikan", "Data sementara", "Dana APBD", "Dana DAK", ""])])
    return dict(rows=rows, note="Keterangan with numbers ('Termasuk 12 KK relokasi') and sources")


def a_notes_4(rng):
    rows = [["Kab/Kota", "Usulan", "Disetujui", "Catatan"]]
    for k in KAB:
        for p in ("ATENSI", "Permakanan"):
            u = rng.randint(20, 600)
            rows.append([k[2], u, rng.randint(0, u),
                         rng.choice([f"a/n Dinas Sosial Kab. {k[2]}" if k[0] < "52.71" else f"a/n Dinas Sosial {k[1]}",
                                     "Diterima oleh Bidang Linjamsos", "an. Kepala Dinas", "Disposisi Sekretaris",
                                     "Bpk. Kepala Bidang belum paraf", "Sumber: e-Proposal"])])
    return dict(rows=rows, note="UTF-8 BOM; 'a/n', 'an.', 'diterima oleh', 'Bpk.' followed by offices/roles, not people")


def a_notes_5(rng):
    rows = [["Tahun", "Jumlah Pekerja Sosial", "Jumlah TKSK", "Jumlah Tagana", "Keterangan"]]
    for y in range(2008, 2025):
        rows.append([y, rng.randint(20, 400), rng.randint(50, 120), rng.randint(100, 900),
                     rng.choice(["Angka tetap", "Angka perbaikan", "Data sementara", "Sumber: SIKS-NG", ""])])
    rows.append([])
    rows.append(["Catatan: angka 2024 bersifat sementara; sumber Dinas Sosial Provinsi NTB."])
    return dict(rows=rows, sheet="PSKS", merges=[], note="XLSX; yearly PSKS counts with a footnote row")


def rek(rng, prefix="5.1.02"):
    return f"{prefix}.{rng.randint(1, 4):02d}.{rng.randint(1, 3):02d}.{rng.randint(1, 60):04d}"


BELANJA = ["Belanja Alat Tulis Kantor", "Belanja Makanan dan Minuman Rapat", "Belanja Perjalanan Dinas Dalam Daerah",
           "Belanja Jasa Tenaga Pendamping", "Belanja Cetak", "Belanja Bahan Logistik Bencana",
           "Belanja Honorarium Narasumber", "Belanja Sewa Kendaraan", "Belanja Pemeliharaan Gedung",
           "Belanja Permakanan Penghuni Panti", "Belanja Pakaian Penghuni Panti", "Belanja Obat-obatan",
           "Belanja Listrik", "Belanja Air", "Belanja Telepon dan Internet", "Belanja Bantuan Sosial Uang",
           "Belanja Hibah kepada Badan/Lembaga", "Belanja Modal Peralatan Komputer"]


def a_budget_1(rng):
    rows = [["Kode Rekening", "Uraian", "Pagu (Rp)", "Realisasi (Rp)", "%"]]
    for u in rng.sample(BELANJA, 16):
        pagu = rng.randrange(5_000_000, 2_500_000_000, 250_000)
        real = int(pagu * rng.uniform(0.4, 1.0)) // 1000 * 1000
        rows.append([rek(rng), u, pagu, real, round(100 * real / pagu, 2)])
    return dict(rows=rows, note="Kode Rekening 5.1.02.xx.xx.xxxx, Rp amounts as numbers")


def a_budget_2(rng):
    rows = [["Kode Rekening", "Uraian", "Anggaran", "Realisasi", "Sisa"]]
    for u in BELANJA:
        pagu = rng.randrange(5_000_000, 900_000_000, 50_000)
        real = pagu - rng.randrange(0, pagu // 3, 10_000)
        rows.append([rek(rng), u, f"Rp {id_number(pagu)},00", f"Rp {id_number(real)},00", f"Rp {id_number(pagu - real)},00"])
    return dict(rows=rows, note="';' CSV; 'Rp 12.500.000,00' as text")


def a_budget_3(rng):
    rows = [["Kode", "Program/Kegiatan/Sub Kegiatan", "Pagu", "Sumber Dana"]]
    for p in range(1, 5):
        rows.append([f"1.06.{p:02d}", f"Program {['Penunjang Urusan', 'Pemberdayaan Sosial', 'Rehabilitasi Sosial', 'Perlindungan dan Jaminan Sosial'][p - 1]}", None, ""])
        for k in range(1, 3):
            rows.append([f"1.06.{p:02d}.2.{k:02d}", f"Kegiatan {rng.choice(['Pengelolaan Data', 'Pemberdayaan Masyarakat', 'Pelayanan Dasar', 'Penanganan Bencana'])}", None, ""])
            for s in range(1, rng.randint(3, 5)):
                rows.append([f"1.06.{p:02d}.2.{k:02d}.{s:04d}", rng.choice(BELANJA).replace("Belanja", "Penyediaan"),
                             rng.randrange(25_000_000, 3_000_000_000, 500_000), rng.choice(["APBD", "DAK", "DBHCHT"])])
    return dict(rows=rows, note="programme/kegiatan/sub-kegiatan codes like 1.06.02.2.01.0003 with pagu")


def a_budget_4(rng):
    rows = [["DOKUMEN PELAKSANAAN ANGGARAN (DPA) TA 2024"], [], ["Kode Rekening", "Uraian", "Volume", "Satuan", "Harga Satuan", "Jumlah"]]
    first = len(rows) + 1
    for u in rng.sample(BELANJA, 17):
        vol, price = rng.randint(1, 500), rng.randrange(10_000, 5_000_000, 5_000)
        r = len(rows) + 1
        rows.append([rek(rng), u, vol, rng.choice(["Paket", "OH", "OK", "Bulan", "Unit", "Orang/Kali"]), price, f"=C{r}*E{r}"])
    last = len(rows)
    rows.append(["", "Jumlah", None, None, None, f"=SUM(F{first + 1}:F{last})"])
    return dict(rows=rows, sheet="DPA", merges=["A1:F1"], note="XLSX; DPA lines with formulas (=C*E) and a SUM total row",
                number_formats={"E": '#,##0', "F": '#,##0'})


def a_budget_5(rng):
    rows = [["Kode Rekening", "Penerima Hibah/Bansos", "Kabupaten/Kota", "Nilai (Rp)"]]
    for name in lks_names(rng, 20, person_named=0.15):
        k = rng.choice(KAB)
        rows.append([f"5.4.01.05.01.{rng.randint(1, 40):04d}", name, k[2], rng.randrange(10_000_000, 250_000_000, 5_000_000)])
    return dict(rows=rows, note="grant lines to institutions (5.4.01.05.01.xxxx) with amounts")


def a_asn_1(rng):
    rows = [["Golongan", "Laki-laki", "Perempuan", "Jumlah"]]
    for g in GOLONGAN:
        l, p = small(rng, 40, 0.2), small(rng, 40, 0.2)
        rows.append([g, l, p, l + p])
    return dict(rows=rows, note="ASN by golongan and sex, zeros and 1s included")


def a_asn_2(rng):
    rows = [["Pendidikan", "Gol. I", "Gol. II", "Gol. III", "Gol. IV", "Jumlah"]]
    for st in ("PNS", "PPPK"):
        for p in PENDIDIKAN:
            v = [small(rng, 50 if st == "PNS" else 12, 0.35) for _ in range(4)]
            rows.append([f"{p} - {st}"] + v + [sum(v)])
    for jk in ("Laki-laki", "Perempuan"):
        v = [small(rng, 30, 0.3) for _ in range(4)]
        rows.append([f"S-2 ({jk})"] + v + [sum(v)])
    return dict(rows=rows, note="';' CSV; pendidikan x golongan matrix")


def a_asn_3(rng):
    rows = [["unit_kerja", "jenis_jabatan", "jenis_kelamin", "jumlah_asn"]]
    for b in BIDANG:
        for j in ("Struktural", "Fungsional"):
            for jk in ("L", "P"):
                rows.append([b, j, jk, small(rng, 12, 0.2)])
    return dict(rows=rows, note="unit x jabatan x sex long form with counts of 1")


def a_asn_4(rng):
    rows = [["Golongan", "Pendidikan", "Jenis Kelamin", "Jumlah"]]
    for g in ("II/c", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"):
        for p in ("SMA/SMK", "S-1", "S-2"):
            for jk in ("Laki-laki", "Perempuan"):
                if rng.random() < 0.8:
                    rows.append([g, p, jk, small(rng, 20, 0.1)])
    return dict(rows=rows, sheet="ASN", merges=[], note="XLSX; golongan x pendidikan x sex")


def a_asn_5(rng):
    rows = [["Kelompok Umur", "Laki-laki", "Perempuan", "Jumlah"]]
    for a in range(20, 60, 5):
        for st in ("PNS", "PPPK"):
            l, p = small(rng, 25, 0.2), small(rng, 25, 0.2)
            rows.append([f"{a}-{a + 4} th ({st})", l, p, l + p])
    return dict(rows=rows, note="age bands x PNS/PPPK x sex")


def a_month_1(rng):
    rows = [["Bulan", "Pengaduan Masuk", "Ditindaklanjuti", "Selesai"]]
    for y in (2023, 2024):
        for b in BULAN:
            m = rng.randint(3, 60)
            rows.append([f"{b} {y}", m, rng.randint(0, m), rng.randint(0, m)])
    return dict(rows=rows, note="24 months of complaint counts")


def a_month_2(rng):
    rows = [["Tahun", "Bulan"] + [k[3] for k in KAB]]
    for y in (2023, 2024):
        for b in BULAN:
            rows.append([y, b] + [small(rng, 15, 0.4) for _ in KAB])
    return dict(rows=rows, note="';' CSV; month x kab/kota (nicknames) counts")


def a_month_3(rng):
    rows = [["tahun", "bulan", "jumlah_penyaluran", "nilai_rp"]]
    for y in (2022, 2023, 2024):
        for i in range(12):
            n = rng.randint(1000, 20000)
            rows.append([y, i + 1, n, n * 200000])
    return dict(rows=rows, note="36 months, month as number 1-12")


def a_month_4(rng):
    rows = [["Periode", "Penghuni Awal", "Masuk", "Keluar", "Meninggal", "Penghuni Akhir"]]
    cur = rng.randint(60, 90)
    for y in (23, 24):
        for m in ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"):
            mi, k, d = small(rng, 4), small(rng, 3), small(rng, 2, 0.6)
            end = max(0, cur + mi - k - d)
            rows.append([f"{m}-{y}", cur, mi, k, d, end])
            cur = end
    return dict(rows=rows, note="monthly panti occupancy counts ('Jan-23'), small in/out/deaths counts")


def a_month_5(rng):
    rows = [["Bulan", "PKH", "BPNT", "PBI", "Total"]]
    for b in BULAN:
        v = [rng.randint(1000, 90000) for _ in range(3)]
        rows.append([b] + v + [sum(v)])
    for b in BULAN[:4]:
        v = [rng.randint(1000, 90000) for _ in range(3)]
        rows.append([b + " 2025 (rencana)"] + v + [sum(v)])
    return dict(rows=rows, sheet="Bulanan", merges=[], note="XLSX; monthly programme totals")


def a_pct_1(rng):
    rows = [["Kabupaten/Kota", "2019", "2020", "2021", "2022", "2023"]]
    for k in KAB:
        rows.append([k[1]] + [round(rng.uniform(7, 22), 2) for _ in range(5)])
    for k in KAB[:6]:
        rows.append([k[1] + " (perdesaan)"] + [round(rng.uniform(9, 25), 2) for _ in range(5)])
    return dict(rows=rows, note="poverty percentages with '.' decimals")


def a_pct_2(rng):
    rows = [["Kabupaten/Kota", "Persentase Penduduk Miskin", "Indeks Kedalaman (P1)", "Indeks Keparahan (P2)"]]
    for y in (2022, 2023):
        for k in KAB:
            rows.append([f"{k[2]} {y}", f"{id_number(round(rng.uniform(7, 22), 2))}%",
                         id_number(round(rng.uniform(0.8, 3.5), 2)), id_number(round(rng.uniform(0.1, 1.0), 2))])
    return dict(rows=rows, note="';' CSV; '14,23%' and '1,85' comma decimals as text")


def a_pct_3(rng):
    rows = [["Kab/Kota", "Program", "Target", "Capaian", "Persentase Capaian"]]
    for k in KAB:
        for p in ("ATENSI Lansia", "ATENSI Disabilitas"):
            t = rng.randint(20, 400)
            c = rng.randint(0, t)
            rows.append([k[2], p, t, c, f"{round(100 * c / t, 1)}%"])
    return dict(rows=rows, note="target/achievement with '45.5%' strings")


def a_pct_4(rng):
    rows = [["Indikator", "Satuan", "2021", "2022", "2023", "2024"]]
    inds = ["Persentase PMKS yang tertangani", "Persentase LKS terakreditasi", "Persentase KPM graduasi",
            "Persentase penyaluran tepat waktu", "Persentase korban bencana terlayani", "Persentase anak terlantar terlayani",
            "Persentase lansia terlantar terlayani", "Persentase disabilitas terlantar terlayani",
            "Persentase pengaduan selesai", "Persentase desa dengan Karang Taruna aktif",
            "Persentase kabupaten dengan Tagana", "Indeks Kepuasan Masyarakat", "Persentase data DTKS padan Dukcapil",
            "Persentase realisasi anggaran", "Nilai SAKIP"]
    for i in inds:
        rows.append([i, "%" if i.startswith("Persen") else "Nilai"] + [round(rng.uniform(40, 99), 2) for _ in range(4)])
    return dict(rows=rows, note="UTF-8 BOM; performance indicators (SAKIP) in percent")


def a_pct_5(rng):
    rows = [["Kabupaten/Kota", "Cakupan PKH", "Cakupan BPNT", "Cakupan PBI"]]
    for k in KAB:
        rows.append([k[2]] + [round(rng.uniform(0.3, 0.98), 4) for _ in range(3)])
    for kec in KEC["52.08"]:
        rows.append([f"Kec. {kec}"] + [round(rng.uniform(0.3, 0.98), 4) for _ in range(3)])
    return dict(rows=rows, sheet="Cakupan", merges=[], note="XLSX; fractions shown with 0.00% number format",
                number_formats={"B": "0.00%", "C": "0.00%", "D": "0.00%"})


def a_dis_1(rng):
    rows = [["Kabupaten/Kota", "Jenis Bencana", "Kejadian", "KK Terdampak", "Jiwa Terdampak"]]
    for k in KAB:
        for b in rng.sample(BENCANA, 4):
            ev = small(rng, 7, 0.35)
            kk = ev * rng.randint(1, 60)
            rows.append([k[2], b, ev, kk, kk * rng.randint(3, 5)])
    return dict(rows=rows, note="disasters per kab/kota with KK vs Jiwa")


def a_dis_2(rng):
    rows = [["Kecamatan", "KK", "Jiwa", "Rusak Ringan", "Rusak Sedang", "Rusak Berat"]]
    for kec in KEC["52.06"]:
        kk = rng.randint(0, 900)
        rows.append([kec, kk, kk * rng.randint(3, 4), small(rng, 80), small(rng, 30), small(rng, 10, 0.5)])
    return dict(rows=rows, note="';' CSV; flood impact in Kabupaten Bima per kecamatan")


def a_dis_3(rng):
    rows = [["Bulan", "Kejadian Kebakaran", "KK", "Jiwa", "Taksiran Kerugian (Rp)"]]
    for y in (2023, 2024):
        for b in BULAN:
            ev = small(rng, 5, 0.4)
            kk = ev * rng.randint(1, 5)
            rows.append([f"{b} {y}", ev, kk, kk * 4, kk * rng.randrange(5_000_000, 80_000_000, 500_000)])
    return dict(rows=rows, note="monthly fire counts with KK/Jiwa and losses")


def a_dis_4(rng):
    rows = [["Kabupaten/Kota", "Terdampak", None, "Mengungsi", None, "Meninggal"],
            [None, "KK", "Jiwa", "KK", "Jiwa", "Jiwa"]]
    for k in KAB:
        for b in ("Banjir", "Tanah Longsor"):
            kk = rng.randint(0, 1200)
            mk = rng.randint(0, kk)
            rows.append([f"{k[2]} - {b}", kk, kk * 4, mk, mk * 4, small(rng, 3, 0.8)])
    return dict(rows=rows, sheet="Rekap Bencana", merges=["B1:C1", "D1:E1", "A1:A2", "F1:F2"],
                note="XLSX; two-row merged header Terdampak/Mengungsi over KK/Jiwa; deaths 0-3")


def a_dis_5(rng):
    rows = [["Tahun", "Jenis Bencana Sosial", "Kejadian", "KK", "Jiwa"]]
    for y in range(2019, 2025):
        for b in ("Konflik Sosial", "Teror", "Kerusuhan Antarkampung"):
            ev = small(rng, 2, 0.6)
            rows.append([y, b, ev, ev * rng.randint(0, 30), ev * rng.randint(0, 120)])
    return dict(rows=rows, note="social disasters, rare: counts 0-2")


def _titled(title_lines, header, data, total_label="Jumlah", numbering=True):
    rows = [[t] for t in title_lines] + [[]] + [header]
    if numbering:
        rows.append([f"({i})" for i in range(1, len(header) + 1)])
    rows += data
    tot = [total_label] + [sum(r[i] for r in data) if all(isinstance(r[i], (int, float)) for r in data) else ""
                           for i in range(1, len(header))]
    rows.append(tot)
    return rows


def a_title_1(rng):
    data = []
    for k in KAB:
        for c in ("Anak Terlantar", "Lanjut Usia Terlantar"):
            data.append([f"{k[2]} - {c}", rng.randint(0, 900), rng.randint(0, 900)])
    data = [[r[0], r[1], r[2], r[1] + r[2]] for r in data]
    rows = _titled(["REKAPITULASI PPKS MENURUT KABUPATEN/KOTA", "DINAS SOSIAL PROVINSI NUSA TENGGARA BARAT", "TAHUN 2023"],
                   ["Kabupaten/Kota", "Laki-laki", "Perempuan", "Jumlah"], data)
    return dict(rows=rows, note="3 title rows, blank row, header, (1)(2)(3)(4) numbering row, 'Jumlah' total row")


def a_title_2(rng):
    data = [[k[1], rng.randint(1000, 60000), rng.randint(1000, 90000)] for k in KAB]
    data += [[f"{k[2]} (tambahan)", rng.randint(0, 900), rng.randint(0, 900)] for k in KAB[:6]]
    rows = _titled(["Jumlah KPM PKH dan BPNT", "Provinsi NTB, Semester I 2024"], ["Wilayah", "PKH", "BPNT"], data,
                   total_label="NTB")
    return dict(rows=rows, note="';' CSV; title rows, numbering row and an 'NTB' total row")


def a_title_3(rng):
    rows = [["DATA LEMBAGA KESEJAHTERAAN SOSIAL ANAK (LKSA)"], ["Keadaan 31 Desember 2023"], [],
            ["Kabupaten/Kota", "Jumlah LKSA", "Anak Asuh L", "Anak Asuh P", "Jumlah Anak Asuh"]]
    first = len(rows) + 1
    for k in KAB:
        for sfx in ("", " (dalam panti)"):
            r = len(rows) + 1
            rows.append([k[2] + sfx, rng.randint(1, 30), rng.randint(10, 400), rng.randint(10, 400), f"=C{r}+D{r}"])
    last = len(rows)
    rows.append(["Jumlah"] + [f"=SUM({c}{first}:{c}{last})" for c in "BCDE"])
    rows.append(["Sumber: Dinas Sosial Provinsi NTB"])
    return dict(rows=rows, sheet="LKSA", merges=["A1:E1", "A2:E2"],
                note="XLSX; merged title rows, formulas per row and a SUM 'Jumlah' row, source footnote")


def a_title_4(rng):
    rows = [["Tabel 4.2 Penyandang Disabilitas menurut Jenis dan Jenis Kelamin"], [],
            ["Jenis Disabilitas", "2022", None, "2023", None],
            [None, "L", "P", "L", "P"]]
    data = []
    for d in DISAB:
        for grp in ("Anak", "Dewasa"):
            data.append([f"{d} ({grp})"] + [small(rng, 300, 0.1) for _ in range(4)])
    rows += data
    rows.append(["Total"] + [sum(r[i] for r in data) for i in range(1, 5)])
    rows.append(["Sumber: SIKS-NG, diolah"])
    return dict(rows=rows, note="table caption, two-row header (year over L/P), 'Total' row, source line")


def a_title_5(rng):
    data = [[kec, small(rng, 20), small(rng, 10), small(rng, 5, 0.5)] for kec in KEC["52.03"]]
    rows = _titled(["JUMLAH KEJADIAN BENCANA SOSIAL", "KABUPATEN LOMBOK TIMUR TAHUN 2024"],
                   ["Kecamatan", "Kebakaran", "Angin Puting Beliung", "Konflik Sosial"], data)
    rows.append(["Keterangan: - = tidak ada kejadian"])
    for r in rows:
        for i, v in enumerate(r):
            if v == 0:
                r[i] = "-"
    return dict(rows=rows, note="title rows, zeros written as '-', Jumlah row, Keterangan footnote")


# --------------------------------------------------------------------------------------
# Registry: (file, label, variant, format, generator)
# --------------------------------------------------------------------------------------
SPECS = [
    ("personal_names_only_calon_penerima.csv", "personal", "names_only", "csv", p_names_only_1),
    ("personal_names_only_no_header.csv", "personal", "names_only", "csv", p_names_only_2),
    ("personal_names_only_kube.csv", "personal", "names_only", "semi", p_names_only_3),
    ("personal_names_only_anggota_keluarga.xlsx", "personal", "names_only", "xlsx", p_names_only_4),
    ("personal_names_only_abc.csv", "personal", "names_only", "csv", p_names_only_5),
    ("personal_people_headers_beneficiary.csv", "personal", "people_headers", "csv", p_people_headers_1),
    ("personal_people_headers_siswa_wali.csv", "personal", "people_headers", "csv", p_people_headers_2),
    ("personal_people_headers_klien.csv", "personal", "people_headers", "semi", p_people_headers_3),
    ("personal_people_headers_penghuni.xlsx", "personal", "people_headers", "xlsx", p_people_headers_4),
    ("personal_people_headers_identitas.csv", "personal", "people_headers", "csv", p_people_headers_5),
    ("personal_people_headers_holder.csv", "personal", "people_headers", "csv", p_people_headers_6),
    ("personal_free_text_keterangan_an.csv", "personal", "names_in_free_text", "csv", p_free_text_1),
    ("personal_free_text_catatan_diterima.csv", "personal", "names_in_free_text", "semi", p_free_text_2),
    ("personal_free_text_korban.csv", "personal", "names_in_free_text", "csv", p_free_text_3),
    ("personal_free_text_two_mentions.csv", "personal", "names_in_free_text", "csv", p_free_text_4),
    ("personal_free_text_single_mention.csv", "personal", "names_in_free_text", "bom", p_free_text_5),
    ("personal_nik_split_8_8.csv", "personal", "nik_split", "csv", p_nik_split_1),
    ("personal_nik_split_6_6_4.csv", "personal", "nik_split", "csv", p_nik_split_2),
    ("personal_nik_split_wilayah_tgl_urut.csv", "personal", "nik_split", "semi", p_nik_split_3),
    ("personal_nik_split_letters.csv", "personal", "nik_split", "csv", p_nik_split_4),
    ("personal_nik_split_with_names.xlsx", "personal", "nik_split", "xlsx", p_nik_split_5),
    ("personal_nik_spaced_4x4.csv", "personal", "nik_spaced", "csv", p_nik_spaced_1),
    ("personal_nik_spaced_dots.csv", "personal", "nik_spaced", "semi", p_nik_spaced_2),
    ("personal_nik_spaced_dashes_names.csv", "personal", "nik_spaced", "csv", p_nik_spaced_3),
    ("personal_nik_spaced_mixed.csv", "personal", "nik_spaced", "csv", p_nik_spaced_4),
    ("personal_nik_spaced_6_6_4_caps.csv", "personal", "nik_spaced", "csv", p_nik_spaced_5),
    ("personal_phone_mixed_kontak.csv", "personal", "phone_formats", "bom", p_phone_1),
    ("personal_phone_only_no_names.csv", "personal", "phone_formats", "csv", p_phone_2),
    ("personal_phone_dots_pendamping.csv", "personal", "phone_formats", "semi", p_phone_3),
    ("personal_phone_parentheses.csv", "personal", "phone_formats", "csv", p_phone_4),
    ("personal_phone_62_wali.xlsx", "personal", "phone_formats", "xlsx", p_phone_5),
    ("personal_kk_in_kode.csv", "personal", "kk_in_kode", "csv", p_kk_1),
    ("personal_kk_in_no.csv", "personal", "kk_in_kode", "semi", p_kk_2),
    ("personal_kk_in_id.csv", "personal", "kk_in_kode", "csv", p_kk_3),
    ("personal_kk_in_kode.xlsx", "personal", "kk_in_kode", "xlsx", p_kk_4),
    ("personal_kk_in_ref.csv", "personal", "kk_in_kode", "csv", p_kk_5),
    ("personal_microdata_disabilitas.csv", "personal", "microdata", "csv", p_micro_1),
    ("personal_microdata_tgl_lahir.csv", "personal", "microdata", "semi", p_micro_2),
    ("personal_microdata_lowercase.csv", "personal", "microdata", "csv", p_micro_3),
    ("personal_microdata_ppks.xlsx", "personal", "microdata", "xlsx", p_micro_4),
    ("personal_microdata_anak.csv", "personal", "microdata", "csv", p_micro_5),
    ("personal_lowercase_warga_dusun.csv", "personal", "lowercase_names_with_dusun", "csv", p_lower_1),
    ("personal_lowercase_no_header.csv", "personal", "lowercase_names_with_dusun", "bom", p_lower_2),
    ("personal_lowercase_penerima.csv", "personal", "lowercase_names_with_dusun", "semi", p_lower_3),
    ("personal_lowercase_krt.csv", "personal", "lowercase_names_with_dusun", "csv", p_lower_4),
    ("personal_lowercase_initials.csv", "personal", "lowercase_names_with_dusun", "csv", p_lower_5),
    ("personal_birth_dates_peserta.csv", "personal", "names_with_birth_dates", "csv", p_birth_1),
    ("personal_birth_dates_ttl_long.csv", "personal", "names_with_birth_dates", "semi", p_birth_2),
    ("personal_birth_dates_siswa.xlsx", "personal", "names_with_birth_dates", "xlsx", p_birth_3),
    ("personal_birth_dates_iso.csv", "personal", "names_with_birth_dates", "csv", p_birth_4),
    ("personal_birth_dates_letters.csv", "personal", "names_with_birth_dates", "csv", p_birth_5),
    ("personal_directory_lks_ketua_hp.csv", "personal", "directory_head_mobile", "csv", p_dir_1),
    ("personal_directory_pimpinan.csv", "personal", "directory_head_mobile", "semi", p_dir_2),
    ("personal_directory_karang_taruna.xlsx", "personal", "directory_head_mobile", "xlsx", p_dir_3),
    ("personal_directory_posyandu.csv", "personal", "directory_head_mobile", "csv", p_dir_4),
    ("personal_directory_landline_and_mobile.csv", "personal", "directory_head_mobile", "csv", p_dir_5),

    ("aggregate_region_long.csv", "aggregate", "region_table", "csv", a_region_1),
    ("aggregate_region_wide_years.csv", "aggregate", "region_table", "semi", a_region_2),
    ("aggregate_region_caps_codes.csv", "aggregate", "region_table", "csv", a_region_3),
    ("aggregate_region_nicknames.xlsx", "aggregate", "region_table", "xlsx", a_region_4),
    ("aggregate_region_tiny_counts.csv", "aggregate", "region_table", "bom", a_region_5),
    ("aggregate_lks_directory.csv", "aggregate", "lks_directory", "csv", a_lks_1),
    ("aggregate_lks_anak_asuh.csv", "aggregate", "lks_directory", "semi", a_lks_2),
    ("aggregate_lks_person_named.csv", "aggregate", "lks_directory", "csv", a_lks_3),
    ("aggregate_lks_kapasitas.xlsx", "aggregate", "lks_directory", "xlsx", a_lks_4),
    ("aggregate_lks_izin.csv", "aggregate", "lks_directory", "csv", a_lks_5),
    ("aggregate_programme_per_kab.csv", "aggregate", "programme_table", "csv", a_prog_1),
    ("aggregate_programme_rp_text.csv", "aggregate", "programme_table", "semi", a_prog_2),
    ("aggregate_programme_long.csv", "aggregate", "programme_table", "csv", a_prog_3),
    ("aggregate_programme_pbi_monthly.xlsx", "aggregate", "programme_table", "xlsx", a_prog_4),
    ("aggregate_programme_realisasi.csv", "aggregate", "programme_table", "csv", a_prog_5),
    ("aggregate_region_names_desa.csv", "aggregate", "region_names_in_cells", "csv", a_names_cells_1),
    ("aggregate_region_names_kecamatan.csv", "aggregate", "region_names_in_cells", "semi", a_names_cells_2),
    ("aggregate_region_names_kelurahan.csv", "aggregate", "region_names_in_cells", "csv", a_names_cells_3),
    ("aggregate_region_names_dusun.csv", "aggregate", "region_names_in_cells", "csv", a_names_cells_4),
    ("aggregate_region_names_bima.xlsx", "aggregate", "region_names_in_cells", "xlsx", a_names_cells_5),
    ("aggregate_notes_sources.csv", "aggregate", "notes_without_people", "csv", a_notes_1),
    ("aggregate_notes_roles.csv", "aggregate", "notes_without_people", "semi", a_notes_2),
    ("aggregate_notes_numbers.csv", "aggregate", "notes_without_people", "csv", a_notes_3),
    ("aggregate_notes_an_offices.csv", "aggregate", "notes_without_people", "bom", a_notes_4),
    ("aggregate_notes_footnote.xlsx", "aggregate", "notes_without_people", "xlsx", a_notes_5),
    ("aggregate_budget_rekening.csv", "aggregate", "budget_codes", "csv", a_budget_1),
    ("aggregate_budget_rp_text.csv", "aggregate", "budget_codes", "semi", a_budget_2),
    ("aggregate_budget_program_codes.csv", "aggregate", "budget_codes", "csv", a_budget_3),
    ("aggregate_budget_dpa_formulas.xlsx", "aggregate", "budget_codes", "xlsx", a_budget_4),
    ("aggregate_budget_hibah.csv", "aggregate", "budget_codes", "csv", a_budget_5),
    ("aggregate_asn_golongan_sex.csv", "aggregate", "asn_counts", "csv", a_asn_1),
    ("aggregate_asn_pendidikan_golongan.csv", "aggregate", "asn_counts", "semi", a_asn_2),
    ("aggregate_asn_unit_jabatan.csv", "aggregate", "asn_counts", "csv", a_asn_3),
    ("aggregate_asn_long.xlsx", "aggregate", "asn_counts", "xlsx", a_asn_4),
    ("aggregate_asn_umur.csv", "aggregate", "asn_counts", "csv", a_asn_5),
    ("aggregate_monthly_pengaduan.csv", "aggregate", "monthly_table", "csv", a_month_1),
    ("aggregate_monthly_kab_wide.csv", "aggregate", "monthly_table", "semi", a_month_2),
    ("aggregate_monthly_numeric.csv", "aggregate", "monthly_table", "csv", a_month_3),
    ("aggregate_monthly_panti.csv", "aggregate", "monthly_table", "csv", a_month_4),
    ("aggregate_monthly_programme.xlsx", "aggregate", "monthly_table", "xlsx", a_month_5),
    ("aggregate_percent_poverty.csv", "aggregate", "percentages", "csv", a_pct_1),
    ("aggregate_percent_comma_text.csv", "aggregate", "percentages", "semi", a_pct_2),
    ("aggregate_percent_capaian.csv", "aggregate", "percentages", "csv", a_pct_3),
    ("aggregate_percent_sakip.csv", "aggregate", "percentages", "bom", a_pct_4),
    ("aggregate_percent_format.xlsx", "aggregate", "percentages", "xlsx", a_pct_5),
    ("aggregate_disaster_kab.csv", "aggregate", "disaster_counts", "csv", a_dis_1),
    ("aggregate_disaster_bima_banjir.csv", "aggregate", "disaster_counts", "semi", a_dis_2),
    ("aggregate_disaster_kebakaran_bulanan.csv", "aggregate", "disaster_counts", "csv", a_dis_3),
    ("aggregate_disaster_two_row_header.xlsx", "aggregate", "disaster_counts", "xlsx", a_dis_4),
    ("aggregate_disaster_sosial.csv", "aggregate", "disaster_counts", "csv", a_dis_5),
    ("aggregate_title_jumlah.csv", "aggregate", "title_rows_and_totals", "csv", a_title_1),
    ("aggregate_title_ntb_total.csv", "aggregate", "title_rows_and_totals", "semi", a_title_2),
    ("aggregate_title_formulas.xlsx", "aggregate", "title_rows_and_totals", "xlsx", a_title_3),
    ("aggregate_title_two_row_header.csv", "aggregate", "title_rows_and_totals", "csv", a_title_4),
    ("aggregate_title_dash_zeros.csv", "aggregate", "title_rows_and_totals", "csv", a_title_5),
]

FMT_NOTE = {"csv": "", "semi": " [';' delimited, ',' decimals, '.' thousands, CRLF]",
            "bom": " [UTF-8 with BOM, CRLF]", "xlsx": ""}


def build(out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for fname, label, variant, fmt, gen in SPECS:
        rng = Random(f"{SEED}:{fname}")
        spec = gen(rng)
        rows = spec["rows"]
        path = out / fname
        if fmt == "xlsx":
            write_xlsx(path, rows, spec.get("sheet", "Sheet1"), spec.get("merges", []), spec.get("date_fmt"),
                       spec.get("number_formats"))
        else:
            write_csv(path, rows, fmt)
        manifest.append({"file": fname, "label": label, "variant": variant, "note": spec["note"] + FMT_NOTE[fmt]})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                    help="output folder (default: this script's folder)")
    args = ap.parse_args(argv)
    manifest = build(args.out)
    counts: dict = {}
    for m in manifest:
        counts.setdefault((m["label"], m["variant"]), 0)
        counts[(m["label"], m["variant"])] += 1
    for (label, variant), n in sorted(counts.items()):
        print(f"{label:9s} {variant:28s} {n}")
    print(f"total: {sum(1 for m in manifest if m['label'] == 'personal')} personal, "
          f"{sum(1 for m in manifest if m['label'] == 'aggregate')} aggregate -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
