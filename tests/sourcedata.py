"""Small hand-made export files for the reader tests (real files stay in ../shared/data)."""

from __future__ import annotations

RIS = """TY  - JOUR
TI  - Software engineering for machine learning
AU  - Amershi, Saleema
AU  - Begel, Andrew
PY  - 2019
T2  - Proc. ICSE-SEIP
SP  - 291
EP  - 300
DO  - https://doi.org/10.1109/ICSE-SEIP.2019.00042
KW  - machine learning; software engineering
ID  - amershi2019
ER  -

TY  - CONF
TI  - Hidden technical debt in machine learning systems
AU  - Sculley, D.
PY  - 2015///
ER  -
"""

BIBTEX = r"""@article{nahar2022,
  author = {Nahar, Nadia and K{\"a}stner, Christian},
  title = {Collaboration {Challenges} in Building {ML}-Enabled Systems},
  journal = {Proc. ICSE},
  year = {2022},
  pages = {413--425},
  doi = {10.1145/3510003.3510209},
}

@inproceedings{lwakatare2019,
  author = {Lwakatare, Lucy Ellen},
  title = {A taxonomy of software engineering challenges for ML systems},
  year = 2019,
}
"""

CSV_GENERIC = """Titel,Autoren,Jahr,DOI
"Quality assurance for AI","Felderer, Michael; Ramler, Rudolf",2021,10.1007/978-3-030-65854-0_3
"Software engineering challenges of deep learning","Arpteg, Anders and Brinne, Björn",2018,
"""

NBIB = """PMID- 111
TI  - First title that runs
      over two lines.
FAU - Doe, Jane
AU  - Doe J
DP  - 2015 Oct 1
LID - 10.1000/xyz.1 [doi]
JT  - Journal of Tests

PMID- 222
TI  - Second title.
DP  - 2016
"""

ENW = """%0 Journal Article
%A Smith, John
%A Doe, Jane
%T A tagged EndNote record
%J Journal of Tagging
%D 2020
%K alpha
beta
%R 10.1000/enw.1

%0 Conference Paper
%T Another one
%D 2021
"""

WOS_TAB = (
    "PT\tAU\tAF\tTI\tSO\tPY\tDI\tUT\n"
    "J\tDoe, J\tDoe, Jane\tA tab-delimited record\tJOURNAL\t2019\t10.1000/wos.1\tWOS:1\t\n"
    "J\tRoe, R\tRoe, Richard\tAnother record\tJOURNAL\t2020\t\tWOS:2\t\n"
)

SCOPUS_2019 = (
    "Authors,Title,Year,Source title,DOI,Link,EID\n"
    '"Phillips J.C., Braun R.","A title",2005,"J. Chem.",10.1/x,http://s/1,2-s2.0-1\n'
)
SCOPUS_2021 = (
    "Authors,Author(s) ID,Title,Year,Source title,DOI,Link,EID\n"
    '"Phillips J.C.; Braun R.","1;2","A title",2005,"J. Chem.",10.1/x,http://s/1,2-s2.0-1\n'
)
SCOPUS_2023 = (
    "Authors,Author full names,Author(s) ID,Title,Year,Source title,DOI,Link,EID\n"
    '"Phillips J.C.; Braun R.","Phillips, James C. (57202138757); Braun, Rosemary (7402220509)",'
    '"1;2","A title",2005,"J. Chem.",10.1/x,http://s/1,2-s2.0-1\n'
)
