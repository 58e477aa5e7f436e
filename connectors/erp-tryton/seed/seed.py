"""Seeds a fresh Tryton 6.0 database for Tradelane tests and demos (run with /usr/bin/python3, Debian's proteus).

Usage: seed.py <trytond.conf> <database>

Creates: company "Tradelane Demo Distribution" (USD), fiscal year with invoice sequences and periods, the minimal
chart of accounts, payment term "Net 30", country US, customers C1001/C1002 (party category "Customer"), products
TL-1001, TL-1002 (unit u), TL-2001 (kg), TL-3001 (no stock) with list prices, and stock in the default warehouse.
"""
import datetime
import os
import sys
from decimal import Decimal

from proteus import Model, config

conf, database = sys.argv[1], sys.argv[2]
os.environ.setdefault('DB_NAME', database)
config.set_trytond(database=database, config_file=conf)

from trytond.modules.account.tests.tools import create_chart, create_fiscalyear, get_accounts  # noqa: E402
from trytond.modules.account_invoice.tests.tools import create_payment_term, set_fiscalyear_invoice_sequences  # noqa: E402
from trytond.modules.company.tests.tools import create_company, get_company  # noqa: E402

Party = Model.get('party.party')
company_party = Party(name='Tradelane Demo Distribution')
company_party.save()
create_company(party=company_party)
company = get_company()

fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(company))
fiscalyear.click('create_period')
create_chart(company)
accounts = get_accounts(company)

payment_term = create_payment_term()
payment_term.name = 'Net 30'
payment_term.save()

Country = Model.get('country.country')
us = Country(name='United States', code='US', code3='USA', code_numeric='840')
us.save()

Category = Model.get('party.category')
customer_category = Category(name='Customer')
customer_category.save()

customers = [
    ('C1001', 'Acme Hardware', '100 Main Street', 'Chicago', '60607', 'buyer@acme.example'),
    ('C1002', 'Brightline Supply', '5 Harbor Road', 'Boston', '02110', 'orders@brightline.example'),
]
for code, name, street, city, postal, email in customers:
    party = Party(name=name, code=code)
    party.categories.append(Category(customer_category.id))
    address = party.addresses[0] if party.addresses else party.addresses.new()
    address.street = street
    address.city = city
    address.postal_code = postal
    address.country = us
    mechanism = party.contact_mechanisms.new(type='email', value=email)
    party.customer_payment_term = payment_term
    party.save()

ProductCategory = Model.get('product.category')
account_category = ProductCategory(name='Goods', accounting=True)
account_category.account_expense = accounts['expense']
account_category.account_revenue = accounts['revenue']
account_category.save()

Uom = Model.get('product.uom')
unit, = Uom.find([('symbol', '=', 'u')])
kilogram, = Uom.find([('symbol', '=', 'kg')])

Template = Model.get('product.template')
items = [
    ('TL-1001', 'Hex bolt M8 x 40, zinc', unit, Decimal('12.50'), Decimal('7.00'), 500),
    ('TL-1002', 'Cable ties 200 mm, black', unit, Decimal('4.20'), Decimal('2.10'), 1000),
    ('TL-2001', 'Copper wire 2.5 mm2', kilogram, Decimal('9.80'), Decimal('6.40'), 200),
    ('TL-3001', 'Safety gloves, size L', unit, Decimal('3.75'), Decimal('1.90'), 0),
]
products = []
for code, name, uom, list_price, cost, quantity in items:
    template = Template(name=name, code=code, type='goods', default_uom=uom, list_price=list_price)
    template.salable = True
    template.sale_uom = uom
    template.purchasable = True
    template.purchase_uom = uom
    template.account_category = account_category
    template.save()
    product, = template.products
    product.cost_price = cost
    product.save()
    products.append((product, quantity, cost))

Location = Model.get('stock.location')
warehouse, = Location.find([('type', '=', 'warehouse')])
supplier_location, = Location.find([('type', '=', 'supplier')])
Inventory = Model.get('stock.inventory')
inventory = Inventory(location=warehouse.storage_location)
for product, quantity, cost in products:
    if quantity > 0:
        inventory.lines.new(product=product, quantity=quantity)
inventory.save()
inventory.click('confirm')
print('seeded', database)
