<?xml version="1.0"?>
<!-- A stylesheet for test/split-xslt.test.ts: keys, grouping, sorting, predicates, string
     and number functions, xsl:number in Arabic-Indic digits and roman numerals; many
     XPath expressions for XSLTC's parser to compile. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text"/>
  <xsl:key name="by-kind" match="item" use="@kind"/>
  <xsl:template match="/">
    <xsl:text>items: </xsl:text><xsl:value-of select="count(//item)"/><xsl:text>&#10;</xsl:text>
    <xsl:for-each select="//item[generate-id() = generate-id(key('by-kind', @kind)[1])]">
      <xsl:sort select="@kind"/>
      <xsl:variable name="k" select="@kind"/>
      <xsl:value-of select="concat($k, ': ', count(key('by-kind', $k)), ' sum=', sum(key('by-kind', $k)/@n), ' max=')"/>
      <xsl:for-each select="key('by-kind', $k)"><xsl:sort select="@n" data-type="number" order="descending"/><xsl:if test="position() = 1"><xsl:value-of select="@n"/></xsl:if></xsl:for-each>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:apply-templates select="//item[@n mod 7 = 3 or (string-length(@name) &gt; 4 and not(@kind = 'b'))]"/>
    <xsl:value-of select="translate(normalize-space(' Mixed   Case  Text '), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
    <xsl:text>&#10;</xsl:text>
    <xsl:value-of select="format-number(sum(//item/@n) div count(//item), '#,##0.000')"/>
    <xsl:text>&#10;</xsl:text>
    <xsl:number value="count(//item) * 61" format="&#x0661;"/>
    <xsl:text> </xsl:text>
    <xsl:number value="2026" format="i"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>
  <xsl:template match="item">
    <xsl:value-of select="concat(position(), '. ', substring-before(concat(@name, '-'), '-'), ' [', @kind, '] ', @n * 2 + 1, ' ', boolean(following-sibling::item[@kind = current()/@kind]))"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
