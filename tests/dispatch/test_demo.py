import random

from unionhub.demo.province import Province
from unionhub.dispatch import demo
from unionhub.dispatch.models import Document, Recipient


def test_demo_issues_documents_to_the_tree(tree):
    province = Province(root=tree.root, province=tree.province)
    province.communes_2025 = [tree.district_a, tree.district_b]
    lines = []
    demo.populate(
        province=province, rng=random.Random(1), by=tree.admin, options={}, log=lines.append
    )
    documents = Document.objects.filter(unit=tree.province, status="issued").order_by("number")
    assert [d.number for d in documents] == [1, 2, 3]
    assert Recipient.objects.filter(document=documents[0]).count() == 3  # the grassroots unions
    assert Recipient.objects.filter(document=documents[1]).count() == 5  # the whole subtree
    assert documents[1].symbol in lines[0]
